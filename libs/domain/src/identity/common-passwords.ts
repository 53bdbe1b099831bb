/**
 * Passwords that meet the length/upper-case/digit rules yet top every breach list. Compared
 * case-insensitively; deliberately short: the policy's other rules already exclude most weak ones.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password1', 'password12', 'password123', 'password1234', 'password2024', 'password2025', 'password2026',
  'passw0rd1', 'p@ssw0rd1', 'p@ssword1', 'qwerty123', 'qwerty1234', 'qwertyuiop1', 'abc12345', 'abcd1234',
  'abcdef12', 'abcdefg1', 'a1b2c3d4', 'aa123456', 'admin123', 'admin1234', 'administrator1', 'welcome1',
  'welcome123', 'letmein1', 'letmein123', 'iloveyou1', 'sunshine1', 'princess1', 'football1', 'baseball1',
  'monkey123', 'dragon123', 'master123', 'superman1', 'batman123', 'trustno1', 'changeme1', 'changeme123',
  'test1234', 'testing123', 'summer2024', 'summer2025', 'winter2024', 'winter2025', 'spring2025',
  'autumn2025', 'january2025', 'hello123', 'hello1234', 'freedom1', 'whatever1', 'starwars1', 'michael1',
  'jennifer1', 'charlie1', 'computer1', 'internet1', 'secret123', 'zaq12wsx', '1qaz2wsx', '1q2w3e4r',
  '1q2w3e4r5t', 'q1w2e3r4', 'qazwsx123', 'asdf1234', 'zxcvbnm1', 'company1', 'company123', 'login123',
  'user1234', 'guest1234', 'default1', 'pa55word', 'pa55w0rd', 'bangkok1', 'thailand1',
]);
