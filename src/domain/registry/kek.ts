/**
 * The key-encryption keys (KEK) of the registry: a ring read from a key file (./key-file.ts).
 *
 * The first non-retired key wraps new data keys; the others stay available to unwrap data keys
 * wrapped before a rotation, until `rewrapDek` (./data-keys.ts) has moved every record to the new
 * KEK. Retiring a KEK (dropping it from the file, or marking it `tnx_retired`) makes every wrapped
 * data key it still protects — including copies in old backups — permanently unreadable; that is what
 * completes crypto-shredding for backups (docs/registry-and-travel-reports.md).
 */
import { TnxError } from '../../core/errors.js';
import { readSymmetricKeyFile, type SymmetricKey } from './key-file.js';

export class KekRing {
  readonly #byKid: ReadonlyMap<string, SymmetricKey>;
  /** The KEK that wraps new data keys. */
  readonly active: SymmetricKey;

  constructor(keys: readonly SymmetricKey[], where = 'kek') {
    const usable = keys.filter((k) => !k.retired);
    const first = usable[0];
    if (!first)
      throw new TnxError('key_material_invalid', `${where}: no usable key-encryption key`, { pointer: where });
    this.active = first;
    this.#byKid = new Map(usable.map((k) => [k.kid, k]));
  }

  static fromFile(path: string): KekRing {
    return new KekRing(readSymmetricKeyFile(path), path);
  }

  /** The KEK with this id, or undefined when it was retired or never known. */
  get(kid: string): SymmetricKey | undefined {
    return this.#byKid.get(kid);
  }

  get kids(): string[] {
    return [...this.#byKid.keys()];
  }
}
