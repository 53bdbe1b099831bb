import { plainMail as message } from '../../../platform/mail/plain-mail';

export const identityMail = {
  verificationCode: (to: string, name: string, code: string) =>
    message(to, `Your Smart AI Hub verification code: ${code}`, [
      `Hello ${name},`,
      `Your verification code is ${code}. It is valid for 15 minutes.`,
      'If you did not create an account, ignore this message.',
    ]),
  passwordReset: (to: string, link: string) =>
    message(to, 'Reset your Smart AI Hub password', [
      'Someone asked to reset the password of this account.',
      `Open this link within one hour to choose a new password: ${link}`,
      'If it was not you, ignore this message: your password stays as it is.',
    ]),
  passwordChanged: (to: string) =>
    message(to, 'Your Smart AI Hub password was changed', [
      'The password of your account was just changed and every other session was signed out.',
      'If this was not you, reset your password at once and contact your administrator.',
    ]),
  signUpAttempted: (to: string) =>
    message(to, 'Someone tried to sign up with your address', [
      'Someone just tried to create a Smart AI Hub account with this e-mail address, which already has one.',
      'If it was you, sign in instead, or reset your password if you forgot it.',
      'If it was not you, ignore this message: nothing was changed.',
    ]),
  roleChanged: (to: string, role: string) =>
    message(to, 'Your Smart AI Hub role changed', [`Your role is now ${role}.`]),
  deletionRequested: (to: string, deleteAfter: Date, appUrl: string) =>
    message(to, 'Your Smart AI Hub account will be deleted', [
      'You asked for your account to be deleted. It no longer works: every session and API key was stopped.',
      `On ${deleteAfter.toUTCString()} it is erased with your personal data and files; this cannot be undone.`,
      `Changed your mind? Sign in before then at ${appUrl}/admin and the account is restored as it was.`,
    ]),
  deletionCancelled: (to: string) =>
    message(to, 'Your Smart AI Hub account will not be deleted', [
      'You signed in during the grace period, so the deletion of your account was cancelled and it works again, API keys included.',
      'If this was not you, change your password at once and contact your administrator.',
    ]),
};
