import { html, htmlPage } from '../oauth/html-page';
import { RETURN_TARGETS, ReturnTarget } from '../oauth/google-sign-in-request';

export const VERIFIED_SESSION_SCRIPT_PATH = '/auth/assets/verified-session.js';

/**
 * The page that hands a VERIFIED code to the person who will paste it into their tool. The copy
 * button is wired by a script file (our CSP forbids inline scripts); without it the code can still
 * be selected and copied by hand.
 */
export function verifiedSessionPage(input: {
  code: string;
  expiresAt: Date;
  returnTo?: ReturnTarget;
}): string {
  const tool = input.returnTo ? RETURN_TARGETS[input.returnTo] : undefined;
  const until = `${input.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return htmlPage({
    title: 'เข้าสู่ระบบสำเร็จ · Sign-in complete',
    script: VERIFIED_SESSION_SCRIPT_PATH,
    body: html`<h1>เข้าสู่ระบบสำเร็จ <span lang="en">Sign-in complete</span></h1>
      <p>
        คัดลอกรหัสด้านล่าง แล้ววางกลับใน${tool ? html` ${tool}` : html`เครื่องมือที่คุณใช้อยู่`} เพื่อยืนยันตัวตน รหัสใช้ได้ถึง
        ${until} อย่าแชร์รหัสนี้กับผู้อื่น
      </p>
      <p lang="en">
        Copy the code below and paste it back into ${tool ?? 'the tool you came from'} to confirm it is you.
        It is valid until ${until}. Do not share it with anyone.
      </p>
      <div class="code">
        <input
          id="verified-code"
          type="text"
          readonly
          value="${input.code}"
          aria-label="รหัสยืนยัน · Verification code"
          autocomplete="off"
          spellcheck="false"
        />
        <button id="copy-button" type="button">คัดลอก · <span lang="en">Copy</span></button>
      </div>
      <p
        id="copy-status"
        class="status"
        role="status"
        aria-live="polite"
        data-copied="คัดลอกแล้ว · Copied"
        data-manual="กด Ctrl+C (หรือ Cmd+C บน Mac) เพื่อคัดลอก · Press Ctrl+C (or Cmd+C on a Mac) to copy"
      ></p>
      <noscript
        ><p>
          เลือกรหัสแล้วกด Ctrl+C (หรือ Cmd+C) ·
          <span lang="en">Select the code and press Ctrl+C (or Cmd+C).</span>
        </p></noscript
      >
      <p>ปิดหน้านี้ได้เมื่อวางรหัสแล้ว · <span lang="en">You can close this page once the code is pasted.</span></p>`,
  });
}
