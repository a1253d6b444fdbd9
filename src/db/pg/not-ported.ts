// TEMPORARY while the PostgreSQL stores are written: a stand-in that fails loudly when used.
export function notPorted<T>(name: string): T {
  return new Proxy({}, { get: (_t, prop) => (prop === 'then' ? undefined : () => Promise.reject(new Error(`${name}.${String(prop)} is not ported to PostgreSQL yet`))) }) as T;
}
