import type { DependencyList } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApiErrors } from '../forms/useApiErrors';
import { createLoader } from './loader';
import type { Loader } from './loader';

export interface Loaded<D> {
  /** The latest data; kept while a reload runs and after a failed one. */
  data: D;
  loading: boolean;
  /** The error of the latest run, cleared by the next success. */
  error: unknown;
  /** Loads again with the same inputs; settles when done, never rejects. */
  reload: () => Promise<void>;
  /** Replaces the data with a newer copy the page already has (an action's response). */
  setData: (data: D) => void;
}

export interface LoadOptions<T> {
  /** Called with fresh data only (never for a stale response), e.g. to fill a form. */
  onData?: (data: T) => void;
  /**
   * Handles a failed load instead of the usual error message (e.g. 404 shown as a page of its
   * own); the error is in `error` either way.
   */
  onError?: (err: unknown) => void;
}

/**
 * Loads data for a component: runs `fetcher` when it mounts and whenever `deps` change, drops
 * (and aborts through the signal) a response that came too late — inputs changed, a newer
 * reload started, or the component unmounted — and shows errors as every page does.
 */
export function useLoad<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options?: LoadOptions<T> & { initial?: undefined },
): Loaded<T | undefined>;
export function useLoad<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: LoadOptions<T> & { initial: T },
): Loaded<T>;
export function useLoad<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: LoadOptions<T> & { initial?: T } = {},
): Loaded<T | undefined> {
  const showError = useApiErrors();
  const [state, setState] = useState<{ data: T | undefined; loading: boolean; error: unknown }>(
    () => ({ data: options.initial, loading: true, error: undefined }),
  );
  // The latest closures, so that a render does not start a load: only `deps` do.
  const latest = useRef({ fetcher, options, showError });
  latest.current = { fetcher, options, showError };
  const loader = useRef<Loader | null>(null);

  useEffect(() => {
    const l = createLoader((signal) => latest.current.fetcher(signal), {
      onStart: () => setState((s) => (s.loading ? s : { ...s, loading: true })),
      onData: (data) => {
        setState({ data, loading: false, error: undefined });
        latest.current.options.onData?.(data);
      },
      onError: (error) => {
        setState((s) => ({ ...s, loading: false, error }));
        const { options: o, showError: show } = latest.current;
        if (o.onError) o.onError(error);
        else show(error);
      },
    });
    loader.current = l;
    void l.run();
    return () => l.dispose();
    // The caller's deps decide when to load again, as with useEffect.
  }, deps);

  const reload = useCallback(() => loader.current?.run() ?? Promise.resolve(), []);
  const setData = useCallback((data: T | undefined) => setState((s) => ({ ...s, data })), []);
  return { ...state, reload, setData };
}
