import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { StatusChipComponent, statusLook, type StatusTone, type StatusTones } from './status-chip.component';

type JobStatus = 'RUNNING' | 'DONE' | 'FAILED';

const LABELS: Readonly<Record<JobStatus, string>> = { RUNNING: 'Running', DONE: 'Done', FAILED: 'Failed' };
const TONES: Readonly<Record<JobStatus, StatusTone>> = { RUNNING: 'muted', DONE: 'good', FAILED: 'bad' };

@Component({
  imports: [StatusChipComponent],
  template: `
    <sah-status-chip
      [status]="status()"
      [labels]="labels"
      [tones]="tones()"
      data-testid="job-status"
      role="status"
    />
    <sah-status-chip [status]="flag()" data-testid="flag" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly status = signal<string>('RUNNING');
  readonly tones = signal<StatusTones>(TONES);
  readonly flag = signal('Enabled');
  readonly labels = LABELS;
}

describe('StatusChipComponent', () => {
  function render() {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const chip = (testId: string) => root.querySelector(`[data-testid="${testId}"]`) as HTMLElement;
    /** What the reader sees: the chip's words, and its classes. */
    const shown = (testId: string) => [chip(testId).textContent, chip(testId).className];
    /** The job's status changes; what the job's chip shows then. */
    const showStatus = (status: string) => {
      fixture.componentInstance.status.set(status);
      fixture.detectChanges();
      return shown('job-status');
    };
    return { fixture, host: fixture.componentInstance, chip, shown, showStatus };
  }

  it('names the status in words, the page’s attributes on the chip itself, the tone as its one class', () => {
    const { chip } = render();
    const job = chip('job-status');
    expect(job.tagName).toBe('SAH-STATUS-CHIP');
    expect(job.textContent).toBe('Running');
    expect(job.getAttribute('role')).toBe('status');
    expect(job.className).toBe('status-chip status-chip--muted');
  });

  it('follows the status as it changes, words and tone together', () => {
    const { showStatus } = render();
    expect(showStatus('FAILED')).toEqual(['Failed', 'status-chip status-chip--bad']);
    expect(showStatus('DONE')).toEqual(['Done', 'status-chip status-chip--good']);
  });

  it('shows a status the console does not know yet as sent, muted, so it is never a blank or a good-looking chip', () => {
    const { showStatus } = render();
    expect(showStatus('ON_HOLD')).toEqual(['ON_HOLD', 'status-chip status-chip--muted']);
  });

  it('takes one tone for every status, and without labels or tones shows the status as it is, good', () => {
    const { fixture, host, chip, shown } = render();
    expect(shown('flag')).toEqual(['Enabled', 'status-chip status-chip--good']);

    host.tones.set('notice');
    fixture.detectChanges();
    expect(chip('job-status').className).toBe('status-chip status-chip--notice');
  });
});

describe('statusLook', () => {
  it('gives a table cell the same words and tone as the chip', () => {
    expect(statusLook('FAILED', TONES, LABELS)).toEqual({ label: 'Failed', tone: 'bad' });
    expect(statusLook('ON_HOLD', TONES, LABELS)).toEqual({ label: 'ON_HOLD', tone: 'muted' });
    expect(statusLook('Disabled', 'bad')).toEqual({ label: 'Disabled', tone: 'bad' });
  });
});
