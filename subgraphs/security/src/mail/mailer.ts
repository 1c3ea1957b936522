// Where the outbox's mails go: SMTP through nodemailer when SMTP_URL is set, else the
// development sink, which prints each mail's link in the log (one line a developer can copy
// from `npm start`'s output) and keeps the last mails in memory for tests.
import type { Logger } from '@supergraph/kit';
import { createTransport } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export interface MailSink extends Mailer {
  /** The last mails handed over, oldest first. */
  readonly sent: readonly Mail[];
}

const LINK = /https?:\/\/\S+/;

export function createMailSink(logger?: Logger, keep = 100): MailSink {
  const sent: Mail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
      if (sent.length > keep) sent.shift();
      const link = LINK.exec(mail.text)?.[0];
      logger?.info(
        { to: mail.to, subject: mail.subject, link },
        `mail (development sink) to ${mail.to}: ${mail.subject}${link ? ` -> ${link}` : ''}`,
      );
    },
    close() {},
  };
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = createTransport(smtpUrl, { from });
  return {
    async send({ to, subject, text }) {
      await transport.sendMail({ to, subject, text });
    },
    close() {
      transport.close();
    },
  };
}
