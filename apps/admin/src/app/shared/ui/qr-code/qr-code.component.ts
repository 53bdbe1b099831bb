import { ChangeDetectionStrategy, Component, effect, input, signal } from '@angular/core';
import { toDataURL } from 'qrcode';

/** A QR code of `value`, drawn in the browser (nothing leaves the page), as an image with alt text. */
@Component({
  selector: 'sah-qr-code',
  template: `
    @if (src(); as src) {
      <img [src]="src" [alt]="alt()" width="200" height="200" data-testid="qr-code" />
    }
  `,
  styles: `
    :host {
      display: inline-block;
      line-height: 0;
    }
    img {
      background: #fff;
      border-radius: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QrCodeComponent {
  readonly value = input.required<string>();
  readonly alt = input('QR code');
  protected readonly src = signal<string | null>(null);

  constructor() {
    effect((onCleanup) => {
      let current = true;
      onCleanup(() => (current = false));
      toDataURL(this.value(), { width: 200, margin: 2, errorCorrectionLevel: 'M' }).then(
        (url) => current && this.src.set(url),
        () => current && this.src.set(null),
      );
    });
  }
}
