import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLoader } from '../web/src/lib/loader.js';

// The core of the web's useLoad hook: which answers may reach the page.

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function recorder() {
  const events: string[] = [];
  return {
    events,
    report: {
      onStart: () => events.push('start'),
      onData: (d: string) => events.push(`data:${d}`),
      onError: (e: unknown) => events.push(`error:${String(e)}`),
    },
  };
}

describe('the web loader (useLoad)', () => {
  it('reports the data of a run, then the error of the next run', async () => {
    const { events, report } = recorder();
    let n = 0;
    const loader = createLoader(async () => {
      n += 1;
      if (n === 2) throw new Error('boom');
      return `v${n}`;
    }, report);
    await loader.run();
    await loader.run();
    expect(events).toEqual(['start', 'data:v1', 'start', 'error:Error: boom']);
  });

  it('drops the answer of a run a newer run overtook, and aborts its signal', async () => {
    const { events, report } = recorder();
    const answers = [deferred<string>(), deferred<string>()];
    const signals: AbortSignal[] = [];
    const loader = createLoader((signal) => {
      signals.push(signal);
      return answers[signals.length - 1]!.promise;
    }, report);
    const first = loader.run();
    const second = loader.run();
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
    answers[1]!.resolve('fresh');
    await second;
    answers[0]!.resolve('stale');
    await first;
    expect(events).toEqual(['start', 'start', 'data:fresh']);
  });

  it('drops a stale error too', async () => {
    const { events, report } = recorder();
    const answers = [deferred<string>(), deferred<string>()];
    let i = 0;
    const loader = createLoader(() => answers[i++]!.promise, report);
    const first = loader.run();
    const second = loader.run();
    answers[0]!.reject(new Error('late'));
    await first;
    answers[1]!.resolve('ok');
    await second;
    expect(events).toEqual(['start', 'start', 'data:ok']);
  });

  it('reports nothing once disposed (the component unmounted or its inputs changed)', async () => {
    const { events, report } = recorder();
    const answer = deferred<string>();
    let seen: AbortSignal | undefined;
    const loader = createLoader((signal) => {
      seen = signal;
      return answer.promise;
    }, report);
    const run = loader.run();
    loader.dispose();
    expect(seen?.aborted).toBe(true);
    answer.resolve('late');
    await run;
    await loader.run();
    expect(events).toEqual(['start']);
  });

  it('reports only the last run, whatever order the answers come back in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
              fc.array(fc.boolean(), { minLength: n, maxLength: n }),
            ),
          ),
        async ([n, order, fails]) => {
          const { events, report } = recorder();
          const answers = Array.from({ length: n }, () => deferred<string>());
          let i = 0;
          const loader = createLoader(() => answers[i++]!.promise, report);
          const runs = answers.map(() => loader.run());
          for (const k of order) {
            if (fails[k]) answers[k]!.reject(`e${k}`);
            else answers[k]!.resolve(`d${k}`);
            await runs[k];
          }
          const last = n - 1;
          expect(events).toEqual([
            ...Array<string>(n).fill('start'),
            fails[last] ? `error:e${last}` : `data:d${last}`,
          ]);
        },
      ),
    );
  });
});
