import { Link, Text } from '@react-email/components';
import { BigButton, Layout, paragraph, type SenderProps, senderText, small } from './transactional-layout.js';

/** Sent once the subscription is confirmed: what will arrive, when, and how to change it. */
export interface WelcomeEmailProps extends SenderProps {
  email: string;
  /** "every day at 07:00 (UTC)", "every Monday at 07:00 (Europe/Berlin)", "with the next edition" */
  schedule: string;
  /** The subscriber's topics; empty: the most popular papers of the day. */
  topics: string[];
  preferencesUrl: string;
  unsubscribeUrl: string;
}

export const subject = (props: WelcomeEmailProps) => `Welcome to ${props.brand}`;

function topicsLine(topics: string[]): string {
  return topics.length > 0
    ? `Papers about ${topics.join(', ')} come first.`
    : 'You have not picked any topics yet, so you will get the most popular papers of the day.';
}

export default function WelcomeEmail(props: WelcomeEmailProps) {
  return (
    <Layout
      {...props}
      title={`Welcome to ${props.brand}`}
      preheader={`Your digest arrives ${props.schedule}.`}
    >
      <Text style={paragraph}>
        You are subscribed. Your digest of new research papers arrives {props.schedule}.
      </Text>
      <Text dir="auto" style={paragraph}>
        {topicsLine(props.topics)}
      </Text>
      <BigButton href={props.preferencesUrl}>Choose topics and timing</BigButton>
      <Text style={small}>
        Every digest has links to change this or to stop.{' '}
        <Link href={props.unsubscribeUrl} style={{ color: '#6b7280' }}>
          Unsubscribe
        </Link>
      </Text>
    </Layout>
  );
}

export function text(props: WelcomeEmailProps): string {
  return [
    `Welcome to ${props.brand}`,
    '',
    `You are subscribed. Your digest of new research papers arrives ${props.schedule}.`,
    topicsLine(props.topics),
    '',
    `Choose topics and timing: ${props.preferencesUrl}`,
    `Unsubscribe: ${props.unsubscribeUrl}`,
    '',
    senderText(props),
  ].join('\n');
}

export const PreviewProps: WelcomeEmailProps = {
  brand: 'paperboy',
  senderName: 'paperboy',
  senderAddress: '1 Example Street, 00000 Example City',
  email: 'ana@example.org',
  schedule: 'every day at 07:00 (UTC)',
  topics: ['multi-agent', 'reinforcement learning'],
  preferencesUrl: 'https://papers.example.org/preferences/token',
  unsubscribeUrl: 'https://papers.example.org/unsubscribe/token',
};
