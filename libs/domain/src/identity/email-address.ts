import { DomainError } from '../shared/domain-error';

// RFC 5322 "dot-atom" local part and a DNS domain with a TLD: what real mailboxes use. Quoted local
// parts and IP-literal domains are legal but refused: no mail provider hands them out.
const LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^${LOCAL}@(?:${LABEL}\\.)+[A-Za-z]{2,63}$`);

/** An e-mail address as typed (for display) and normalised (for uniqueness: case-insensitive). */
export class EmailAddress {
  private constructor(
    readonly value: string,
    readonly normalized: string,
  ) {}

  static parse(input: string): EmailAddress {
    const value = input.trim();
    if (value.length > 254 || !EMAIL.test(value) || value.split('@')[0].length > 64) {
      throw DomainError.badInput('Enter a valid e-mail address', { field: 'email' });
    }
    return new EmailAddress(value, value.toLowerCase());
  }
}
