import { Body, Container, Head, Html, Link, Section, Text } from '@react-email/components';
import type { CSSProperties } from 'react';
import type { DigestView, PaperExtras, PaperView } from '../src/render/digest-view.js';

/**
 * The "modern" digest in React Email. Props are the digest as plain strings (src/render/digest-view.ts):
 * '' means absent. The fast path renders `ModernPaper` on its own and the rest around it, so a
 * paper block must not depend on its position or neighbours (no useId, no hoisted tags).
 */
export type ModernDigestProps = DigestView;

const font = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif";
const muted: CSSProperties = { color: '#6b7280', fontSize: '13px', lineHeight: '1.5', margin: 0 };
const link: CSSProperties = { color: '#0a58ca', textDecoration: 'underline' };
const footerLink: CSSProperties = { color: '#4b5563', textDecoration: 'underline', marginRight: '16px' };
// A fixed filler after the preheader keeps the inbox preview from running into the body text.
const PREHEADER_FILLER = '\u2007\u034f'.repeat(40);
const responsive = `
  @media only screen and (max-width: 480px) {
    .pb-card { padding: 16px !important; }
    .pb-outer { padding: 12px 6px !important; }
    .pb-title { font-size: 17px !important; }
  }
`;

export function ModernPaper({ paper, extras }: { paper: PaperView; extras: PaperExtras }) {
  return (
    <Section
      className="pb-card"
      style={{
        backgroundColor: '#ffffff',
        border: '1px solid #e5e7eb',
        borderRadius: '12px',
        padding: '20px 24px',
        marginBottom: '12px',
      }}
    >
      <Text
        className="pb-title"
        dir="auto"
        style={{ fontSize: '18px', lineHeight: '1.35', fontWeight: 650, margin: 0 }}
      >
        <Link href={paper.url} style={{ color: '#111827', textDecoration: 'none' }}>
          {paper.title}
        </Link>
      </Text>
      <Text dir="auto" style={{ ...muted, marginTop: '6px', color: '#4b5563' }}>
        {paper.authors}
        {paper.organization ? <strong style={{ fontWeight: 600 }}> · {paper.organization}</strong> : null}
      </Text>
      <Text style={muted}>{paper.stats}</Text>
      {paper.summary ? (
        <Text
          dir="auto"
          style={{ fontSize: '15px', lineHeight: '1.55', color: '#1f2328', margin: '10px 0 0' }}
        >
          {paper.summary}
        </Text>
      ) : null}
      <Text style={{ ...muted, marginTop: '10px' }}>
        <Link href={paper.url} style={link}>
          Paper page
        </Link>
        {' · '}
        <Link href={paper.arxivUrl} style={link}>
          arXiv
        </Link>
        {paper.codeUrl ? (
          <>
            {' · '}
            <Link href={paper.codeUrl} style={link}>
              {paper.codeLabel}
            </Link>
          </>
        ) : null}
        {paper.projectUrl ? (
          <>
            {' · '}
            <Link href={paper.projectUrl} style={link}>
              Project page
            </Link>
          </>
        ) : null}
      </Text>
      {extras.why ? (
        <Text
          dir="auto"
          style={{
            ...muted,
            color: '#1e3a8a',
            backgroundColor: '#eef4ff',
            borderRadius: '6px',
            padding: '6px 10px',
            marginTop: '10px',
          }}
        >
          Why this paper: {extras.why}
        </Text>
      ) : null}
      {extras.feedbackMore ? (
        <Text style={{ ...muted, fontSize: '12px', marginTop: '10px' }}>
          <Link href={extras.feedbackMore} style={footerLink}>
            👍 More like this
          </Link>
          <Link href={extras.feedbackLess} style={footerLink}>
            👎 Less like this
          </Link>
        </Text>
      ) : null}
    </Section>
  );
}

export default function ModernDigest(props: ModernDigestProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <title>{props.subject}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>{responsive}</style>
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
          {PREHEADER_FILLER}
        </div>
        <Container className="pb-outer" style={{ maxWidth: '600px', width: '100%', padding: '24px 12px' }}>
          <Section
            style={{
              backgroundColor: '#111827',
              borderRadius: '12px',
              padding: '20px 24px',
              marginBottom: '12px',
            }}
          >
            <Text
              style={{
                color: '#9ca3af',
                fontSize: '12px',
                letterSpacing: '0.08em',
                textTransform: 'uppercase',
                margin: 0,
              }}
            >
              {props.brand} · {props.editionLabel}
            </Text>
            <Text
              style={{
                color: '#ffffff',
                fontSize: '22px',
                lineHeight: '1.3',
                fontWeight: 700,
                margin: '4px 0 0',
              }}
            >
              {props.dateLabel}
            </Text>
            {props.countLabel ? (
              <Text style={{ color: '#d1d5db', fontSize: '14px', margin: '2px 0 0' }}>
                {props.countLabel}
              </Text>
            ) : null}
          </Section>
          {props.quiet ? (
            <Section
              style={{
                backgroundColor: '#ffffff',
                borderRadius: '12px',
                padding: '16px 24px',
                marginBottom: '12px',
              }}
            >
              <Text style={{ fontSize: '15px', color: '#374151', margin: 0 }}>{props.quietNote}</Text>
            </Section>
          ) : null}
          {props.papers.map((paper, i) => (
            <ModernPaper key={paper.id} paper={paper} extras={props.extras[i]!} />
          ))}
          <Section style={{ padding: '12px 8px 0' }}>
            <Text style={{ ...muted, fontSize: '12px' }}>
              {props.viewUrl ? (
                <Link href={props.viewUrl} style={footerLink}>
                  View in browser
                </Link>
              ) : null}
              {props.preferencesUrl ? (
                <Link href={props.preferencesUrl} style={footerLink}>
                  Manage preferences
                </Link>
              ) : null}
              {props.unsubscribeUrl ? (
                <Link href={props.unsubscribeUrl} style={footerLink}>
                  Unsubscribe
                </Link>
              ) : null}
            </Text>
            {props.recipientEmail ? (
              <Text style={{ ...muted, fontSize: '12px', marginTop: '6px' }}>
                Sent to {props.recipientEmail} because you subscribed to {props.brand}.
              </Text>
            ) : null}
            <Text style={{ ...muted, fontSize: '12px', marginTop: '6px' }}>
              {props.senderName} · {props.senderAddress}
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

const samplePaper: PaperView = {
  id: '2611.10001',
  title: 'Scaling multi-agent planning with tool use: A Framework for web agents',
  url: 'https://huggingface.co/papers/2611.10001',
  arxivUrl: 'https://arxiv.org/abs/2611.10001',
  authors: 'Ana Garcia, Wei Zhang, Mei Chen + 4 more',
  organization: 'Google DeepMind',
  stats: '142 upvotes · 12 comments',
  summary: 'A planning method that lets teams of agents share tools, improving web tasks by 12%.',
  codeUrl: 'https://github.com/example/agents',
  codeLabel: 'Code ★ 1.2k',
  codeStars: '1.2k',
  projectUrl: 'https://example.org/agents',
};

export const PreviewProps: ModernDigestProps = {
  subject: '26 Nov 2026: Scaling multi-agent planning with tool use + 1 more',
  preheader: 'Scaling multi-agent planning with tool use + 1 more',
  brand: 'paperboy',
  editionLabel: 'Daily digest',
  dateLabel: 'Thursday 26 November 2026',
  countLabel: '2 papers picked for you',
  quiet: false,
  quietNote: '',
  papers: [samplePaper, { ...samplePaper, id: '2611.10002', codeUrl: '', projectUrl: '', organization: '' }],
  extras: [
    {
      why: 'matches: multi-agent, tool use',
      feedbackMore: 'https://papers.example.org/feedback/a',
      feedbackLess: 'https://papers.example.org/feedback/b',
    },
    { why: '', feedbackMore: '', feedbackLess: '' },
  ],
  preferencesUrl: 'https://papers.example.org/preferences/t',
  unsubscribeUrl: 'https://papers.example.org/unsubscribe/t',
  viewUrl: 'https://papers.example.org/view/t',
  recipientEmail: 'ana@example.org',
  senderName: 'paperboy',
  senderAddress: '1 Example Street, 00000 Example City',
};
