import { plainMail } from '../../../platform/mail/plain-mail';

export const billingMail = {
  lowBalance: (to: string, name: string, available: number, threshold: number, appUrl: string) =>
    plainMail(to, available <= 0 ? 'You are out of Smart AI Hub credits' : 'Your Smart AI Hub credits are running low', [
      `Hello ${name},`,
      available <= 0
        ? 'Your credit balance is used up: requests that cost credits will be refused until you top up.'
        : `Your available balance is ${available} credits, below your alert level of ${threshold}.`,
      `Top up or redeem a code in your account: ${appUrl}/admin/account`,
    ]),
};
