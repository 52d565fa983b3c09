import { useCallback, useEffect, useRef, useState } from "react";
import { type FormErrors, formErrors, NO_FORM_ERRORS } from "./errors";

export interface AsyncState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (update: (prev: T | null) => T | null) => void;
}

/**
 * Loads data when `key` changes (and on reload()); stale answers from an older key are dropped.
 * `key` is a string so callers say exactly what the load depends on.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const loadRef = useRef(load);
  loadRef.current = load;
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: key and nonce are the triggers; load is read through a ref.
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    loadRef.current().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const setData = useCallback((update: (prev: T | null) => T | null) => setState((s) => ({ ...s, data: update(s.data) })), []);
  return { ...state, reload, setData };
}

export interface PagedState<T> {
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  loaded: boolean;
  loadMore: () => void;
  reload: () => void;
  update: (fn: (items: T[]) => T[]) => void;
}

/** A cursor-paginated list: the first page when `key` changes, further pages appended by loadMore(). */
export function usePaged<T>(
  loadPage: (cursor?: string) => Promise<{ items: T[]; next_cursor: string | null }>,
  key: string,
): PagedState<T> {
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const generation = useRef(0);
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState({
    items: [] as T[],
    nextCursor: null as string | null,
    loading: true,
    loadingMore: false,
    error: null as unknown,
    loaded: false,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: key and nonce are the triggers; loadPage is read through a ref.
  useEffect(() => {
    const gen = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    loadRef.current().then(
      (page) =>
        gen === generation.current &&
        setState({
          items: page.items,
          nextCursor: page.next_cursor,
          loading: false,
          loadingMore: false,
          error: null,
          loaded: true,
        }),
      (error: unknown) => gen === generation.current && setState((s) => ({ ...s, loading: false, error })),
    );
  }, [key, nonce]);

  const cursorRef = useRef<string | null>(null);
  cursorRef.current = state.nextCursor;
  const loadMore = useCallback(() => {
    const cursor = cursorRef.current;
    if (!cursor) return;
    const gen = generation.current;
    setState((s) => ({ ...s, loadingMore: true, error: null }));
    loadRef.current(cursor).then(
      (page) =>
        gen === generation.current &&
        setState((s) => ({ ...s, items: [...s.items, ...page.items], nextCursor: page.next_cursor, loadingMore: false })),
      (error: unknown) => gen === generation.current && setState((s) => ({ ...s, loadingMore: false, error })),
    );
  }, []);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const update = useCallback((fn: (items: T[]) => T[]) => setState((s) => ({ ...s, items: fn(s.items) })), []);
  return { ...state, loadMore, reload, update };
}

/** The value, settled for `ms` milliseconds: for search boxes. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Sets the document title for a page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · licensepool`;
  }, [title]);
}

/**
 * A dialog's submit: busy while `action` runs, its error split by field (one of `fields`) or for the whole form.
 * `invalid` shows a check that failed before anything was sent.
 */
export function useFormAction(fields: readonly string[]) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setErrors(NO_FORM_ERRORS);
    try {
      await action();
    } catch (err) {
      setErrors(formErrors(err, fields));
    } finally {
      setBusy(false);
    }
  };
  const invalid = (field: string, message: string) => setErrors({ field: { [field]: message }, form: null });

  return { busy, errors, run, invalid };
}
