import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

/**
 * An id in a table cell, cut to its first eight characters with the whole one in a tooltip; a user's
 * id links to the user's page where the reader may open it (`userLink`).
 */
@Component({
  selector: 'sah-short-id',
  imports: [MatTooltipModule, RouterLink],
  template: `
    @if (userLink()) {
      <a class="list-id" [routerLink]="['/users', id()]" [matTooltip]="id()">{{ short() }}</a>
    } @else {
      <span class="list-id" [matTooltip]="id()">{{ short() }}</span>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShortIdComponent {
  readonly id = input.required<string>();
  readonly userLink = input(false);
  protected readonly short = computed(() => `${this.id().slice(0, 8)}…`);
}
