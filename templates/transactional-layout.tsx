import { Body, Button, Container, Head, Html, Section, Text } from '@react-email/components';
import type { CSSProperties, ReactNode } from 'react';

/** The frame every transactional email shares: a narrow white card, the sender in the footer. */
export interface SenderProps {
  brand: string;
  senderName: string;
  senderAddress: string;
}

const font = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif";
export const paragraph: CSSProperties = {
  fontSize: '15px',
  lineHeight: '1.6',
  color: '#1f2328',
  margin: '0 0 14px',
};
export const small: CSSProperties = {
  fontSize: '13px',
  lineHeight: '1.5',
  color: '#6b7280',
  margin: '0 0 10px',
};

export function Layout(props: SenderProps & { title: string; preheader: string; children: ReactNode }) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <title>{props.title}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <Body style={{ backgroundColor: '#f3f4f6', margin: 0, padding: 0, fontFamily: font }}>
        <div
          style={{
            display: 'none',
            overflow: 'hidden',
            lineHeight: '1px',
            opacity: 0,
            maxHeight: 0,
            maxWidth: 0,
          }}
        >
          {props.preheader}
        </div>
        <Container style={{ maxWidth: '520px', width: '100%', padding: '24px 12px' }}>
          <Section style={{ backgroundColor: '#ffffff', borderRadius: '12px', padding: '28px 28px 16px' }}>
            <Text style={{ ...small, textTransform: 'uppercase', letterSpacing: '0.08em' }}>
              {props.brand}
            </Text>
            <Text
              style={{
                fontSize: '22px',
                lineHeight: '1.3',
                fontWeight: 700,
                color: '#111827',
                margin: '0 0 16px',
              }}
            >
              {props.title}
            </Text>
            {props.children}
          </Section>
          <Text style={{ ...small, fontSize: '12px', padding: '12px 8px 0' }}>
            {props.senderName} · {props.senderAddress}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function BigButton({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Section style={{ margin: '8px 0 20px' }}>
      <Button
        href={href}
        style={{
          backgroundColor: '#0a58ca',
          color: '#ffffff',
          borderRadius: '8px',
          padding: '14px 24px',
          fontSize: '16px',
          fontWeight: 600,
          textDecoration: 'none',
          display: 'inline-block',
        }}
      >
        {children}
      </Button>
    </Section>
  );
}

/** The plain-text footer every transactional email ends with. */
export function senderText(props: SenderProps): string {
  return `-- \n${props.senderName} · ${props.senderAddress}\n`;
}
