import type { PgStoreDeps } from '../sync.ts';
import type { AddressFormsResult } from '../../stores/address-forms.ts';

export async function migratePgAddressForms(deps: PgStoreDeps, input: { normalize: (email: string) => string | null; key: (email: string) => Buffer; at: number }): Promise<AddressFormsResult | null> {
  void deps;
  void input;
  return null;
}
