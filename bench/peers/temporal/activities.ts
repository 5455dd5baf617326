// The five no-op activities of the Temporal side of `npm run bench -- --peers`.
export async function a() { return { ok: true }; }
export async function b() { return { ok: true }; }
export async function c() { return { ok: true }; }
export async function d() { return { ok: true }; }
export async function e() { return { ok: true }; }
