import { Injectable } from '@nestjs/common';

/** One context's part of a user's export: plain JSON values, never secrets. */
export type PersonalDataSection = (userId: string) => Promise<unknown>;

/**
 * Who holds what about a user. The export owns the document, not the data: each context registers
 * the section of its own tables at start (as it registers its retention purges), so nobody reads
 * another context's tables.
 */
@Injectable()
export class PersonalData {
  private readonly sections = new Map<string, PersonalDataSection>();

  register(name: string, section: PersonalDataSection): void {
    if (this.sections.has(name)) throw new Error(`personal data section "${name}" is registered twice`);
    this.sections.set(name, section);
  }

  async collect(userId: string): Promise<Record<string, unknown>> {
    const document: Record<string, unknown> = {};
    for (const [name, section] of this.sections) document[name] = await section(userId);
    return document;
  }
}
