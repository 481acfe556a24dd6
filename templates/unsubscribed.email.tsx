import { Text } from '@react-email/components';
import { BigButton, Layout, paragraph, type SenderProps, senderText, small } from './transactional-layout.js';

/**
 * The short note confirming an unsubscribe made from the preferences page. Not sent after a
 * one-click (List-Unsubscribe) unsubscribe or a complaint: those ask for no more mail at all.
 */
export interface UnsubscribedEmailProps extends SenderProps {
  email: string;
  /** Where to sign up again; '' to leave the button out. */
  resubscribeUrl: string;
}

export const subject = (props: UnsubscribedEmailProps) => `You are unsubscribed from ${props.brand}`;

export default function UnsubscribedEmail(props: UnsubscribedEmailProps) {
  return (
    <Layout {...props} title="You are unsubscribed" preheader="No more digests will be sent.">
      <Text style={paragraph}>
        {props.email} will get no more digests from {props.brand}. This is the last email we send.
      </Text>
      {props.resubscribeUrl ? <BigButton href={props.resubscribeUrl}>Subscribe again</BigButton> : null}
      <Text style={small}>Unsubscribed by mistake? You can sign up again at any time.</Text>
    </Layout>
  );
}

export function text(props: UnsubscribedEmailProps): string {
  return [
    'You are unsubscribed',
    '',
    `${props.email} will get no more digests from ${props.brand}. This is the last email we send.`,
    ...(props.resubscribeUrl ? ['', `Subscribe again: ${props.resubscribeUrl}`] : []),
    '',
    senderText(props),
  ].join('\n');
}

export const PreviewProps: UnsubscribedEmailProps = {
  brand: 'paperboy',
  senderName: 'paperboy',
  senderAddress: '1 Example Street, 00000 Example City',
  email: 'ana@example.org',
  resubscribeUrl: 'https://papers.example.org/',
};
