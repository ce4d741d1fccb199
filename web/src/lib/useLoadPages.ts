import type { DependencyList } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApiErrors } from '../forms/useApiErrors';
import { createLoader } from './loader';

/** One page of a list and the cursor of the next (null on the last page). */
export interface ListPage<I, C> {
  items: I[];
  next: C | null;
}

export interface LoadedPages<I, C> {
  items: I[];
  next: C | null;
  loading: boolean;
  error: unknown;
  /** Loads the first page again, replacing the list. */
  reload: () => Promise<void>;
  /** Appends the page at `next`. */
  loadMore: () => Promise<void>;
}

/**
 * useLoad for a list read page by page: the first page when the component mounts and whenever
 * `deps` change, more pages on demand. As with useLoad only the latest request may land — a
 * reload overtakes a "more" and the other way round — and errors show as on every page.
 */
export function useLoadPages<I, C>(
  fetchPage: (cursor: C | undefined, signal: AbortSignal) => Promise<ListPage<I, C>>,
  deps: DependencyList,
): LoadedPages<I, C> {
  const showError = useApiErrors();
  const [state, setState] = useState<{
    items: I[];
    next: C | null;
    loading: boolean;
    error: unknown;
  }>({ items: [], next: null, loading: true, error: undefined });
  const latest = useRef({ fetchPage, showError });
  latest.current = { fetchPage, showError };
  const runner = useRef<((cursor: C | undefined) => Promise<void>) | null>(null);

  useEffect(() => {
    let cursor: C | undefined;
    const loader = createLoader(
      async (signal) => {
        const at = cursor;
        return { at, page: await latest.current.fetchPage(at, signal) };
      },
      {
        onStart: () => setState((s) => (s.loading ? s : { ...s, loading: true })),
        onData: ({ at, page }) =>
          setState((s) => ({
            items: at === undefined ? page.items : [...s.items, ...page.items],
            next: page.next,
            loading: false,
            error: undefined,
          })),
        onError: (error) => {
          setState((s) => ({ ...s, loading: false, error }));
          latest.current.showError(error);
        },
      },
    );
    runner.current = (c) => {
      cursor = c;
      return loader.run();
    };
    void loader.run();
    return () => loader.dispose();
    // The caller's deps decide when to start again from the first page, as with useEffect.
  }, deps);

  const reload = useCallback(() => runner.current?.(undefined) ?? Promise.resolve(), []);
  const { next } = state;
  const loadMore = useCallback(
    () => (next === null ? Promise.resolve() : (runner.current?.(next) ?? Promise.resolve())),
    [next],
  );
  return { ...state, reload, loadMore };
}
