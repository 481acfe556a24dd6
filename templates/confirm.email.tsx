import { Link, Text } from '@react-email/components';
import { BigButton, Layout, paragraph, type SenderProps, senderText, small } from './transactional-layout.js';

/** "Confirm your subscription": sent on sign-up (double opt-in); the link expires in 7 days. */
export interface ConfirmEmailProps extends SenderProps {
  email: string;
  /** An http(s) URL (checked by renderTransactional). */
  confirmUrl: string;
  /** @defaultValue 7 */
  expiresInDays: number;
}

export const subject = (props: ConfirmEmailProps) => `Confirm your ${props.brand} subscription`;

export default function ConfirmEmail(props: ConfirmEmailProps) {
  return (
    <Layout
      {...props}
      title="Confirm your subscription"
      preheader="One click and your first digest is on its way."
    >
      <Text style={paragraph}>
        Someone, hopefully you, asked to send the new research papers that matter to {props.email}. Confirm
        and the first digest arrives with the next edition.
      </Text>
      <BigButton href={props.confirmUrl}>Confirm my subscription</BigButton>
      <Text style={small}>
        This link expires in {props.expiresInDays} days. If the button does not work, open this address:{' '}
        <Link href={props.confirmUrl} style={{ color: '#0a58ca', wordBreak: 'break-all' }}>
          {props.confirmUrl}
        </Link>
      </Text>
      <Text style={small}>If you did not ask for this, ignore this email: nothing will be sent.</Text>
    </Layout>
  );
}

export function text(props: ConfirmEmailProps): string {
  return [
    `Confirm your ${props.brand} subscription`,
    '',
    `Someone, hopefully you, asked to send the new research papers that matter to ${props.email}.`,
    'Confirm by opening this link:',
    '',
    props.confirmUrl,
    '',
    `The link expires in ${props.expiresInDays} days. If you did not ask for this, ignore this email: nothing will be sent.`,
    '',
    senderText(props),
  ].join('\n');
}

export const PreviewProps: ConfirmEmailProps = {
  brand: 'paperboy',
  senderName: 'paperboy',
  senderAddress: '1 Example Street, 00000 Example City',
  email: 'ana@example.org',
  confirmUrl: 'https://papers.example.org/confirm/token',
  expiresInDays: 7,
};
