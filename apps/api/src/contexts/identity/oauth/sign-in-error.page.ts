import { html, htmlPage } from './html-page';

// What went wrong, in Thai, by the refusal's reason; the English is the error's own message.
const THAI: Readonly<Record<string, string>> = {
  state: 'ไม่สามารถยืนยันคำขอเข้าสู่ระบบนี้ได้ (อาจเปิดจากเบราว์เซอร์อื่น ใช้ไปแล้ว หรือหมดเวลา)',
  access_denied: 'คุณไม่ได้อนุญาตให้ Smart AI Hub ใช้บัญชี Google ของคุณ',
  provider: 'ติดต่อ Google ไม่สำเร็จ โปรดลองอีกครั้งในอีกสักครู่',
  email_unverified: 'บัญชี Google ของคุณยังไม่มีอีเมลที่ยืนยันแล้ว',
  suspended: 'บัญชีนี้ถูกระงับการใช้งาน',
  linked_to_another_google_account: 'บัญชีนี้เชื่อมกับบัญชี Google อื่นอยู่แล้ว',
};
const THAI_FALLBACK = 'เข้าสู่ระบบไม่สำเร็จ';

/** A refused or failed Google sign-in, in Thai and English, with the way to start again. */
export function signInErrorPage(input: { message: string; reason?: string }): string {
  const thai = (input.reason && THAI[input.reason]) || THAI_FALLBACK;
  return htmlPage({
    title: 'เข้าสู่ระบบไม่สำเร็จ · Sign-in failed',
    className: 'error',
    body: html`<h1>เข้าสู่ระบบไม่สำเร็จ <span lang="en">Sign-in failed</span></h1>
      <p>${thai}</p>
      <p lang="en">${input.message}</p>
      <p>
        เริ่มเข้าสู่ระบบใหม่จากเครื่องมือที่คุณใช้ หรือจาก<a href="/admin/login">หน้าเข้าสู่ระบบ</a> ·
        <span lang="en"
          >Start again from your tool, or from the <a href="/admin/login">sign-in page</a>.</span
        >
      </p>`,
  });
}
