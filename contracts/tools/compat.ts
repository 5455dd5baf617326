/** The compatibility rule lives in `@baton/contracts` (`src/compat.ts`), shared by `contracts:check` and the contract registry. */
export { checkCompatibility, type CompatVerdict } from '../src/compat';
