import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';

describe('live updates over Server-Sent Events', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.stop());

  it('pushes an event to the signed-in user when something arrives in their inbox', async () => {
    const signIn = await fetch(`${server.baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.admin),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const abort = new AbortController();
    const stream = await fetch(`${server.baseUrl}/api/live?topics=nonexistent`, {
      headers: { cookie },
      signal: abort.signal,
    });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (re: RegExp) => {
      while (!re.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
      }
    };
    await readUntil(/event: ready/);
    expect(text).not.toContain('nonexistent'); // topics without a permission rule are not granted
    const sent = await fetch(`${server.baseUrl}/api/inbox/test`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: '{}',
    });
    const { id } = (await sent.json()) as { id: string };
    await readUntil(/event: inbox/);
    expect(text).toContain(id);
    abort.abort();
  });

  it('refuses anonymous listeners', async () => {
    expect((await fetch(`${server.baseUrl}/api/live`)).status).toBe(401);
  });
});
