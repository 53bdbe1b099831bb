import { DomainError } from '../../shared/domain-error';

/** A JSON object as the translations read a request or reply: untyped, checked field by field. */
export type Json = Record<string, unknown>;

/** The value as an object, or undefined when it is not one (null and arrays included). */
export const obj = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/** A 400 naming the request field that cannot be carried. */
export const bad = (message: string, param: string) => DomainError.badInput(message, { param });
