import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamp column the database fills in when it is left out. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns are read back as 'YYYY-MM-DD' strings (see the type parser in database.ts). */
type DateOnly = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export interface PapersTable {
  id: string;
  title: string;
  abstract: string;
  authors: Json<string[]>;
  /** The organisation's display name (fullname when the feed gives one). */
  organization: string | null;
  /** The organisation's handle on Hugging Face. */
  organization_name: string | null;
  published_at: Timestamp | null;
  listed_on: DateOnly;
  upvotes: number;
  comments: number;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  thumbnail: string | null;
  ai_summary: string | null;
  ai_keywords: Json<string[]>;
  source: 'hf' | 'arxiv' | 'file';
  first_seen_at: CreatedAt;
  updated_at: CreatedAt;
}

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed';

export interface SubscribersTable {
  id: Generated<string>;
  email: string;
  status: SubscriberStatus;
  /** Validated by `preferencesSchema` in src/subscribers/preferences.ts. */
  preferences: Json<Record<string, unknown>>;
  token_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  confirmation_sent_at: Timestamp | null;
  confirmed_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
  source: ColumnType<string, string | undefined, string>;
}

export interface EditionsTable {
  date: DateOnly;
  status: ColumnType<'open' | 'paused', 'open' | 'paused' | undefined, 'open' | 'paused'>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type DeliveryState = 'planned' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface DeliveriesTable {
  id: Generated<string>;
  edition_date: DateOnly;
  subscriber_id: string;
  state: DeliveryState;
  batch_key: string | null;
  reason: string | null;
  attempts: Generated<number>;
  template: string | null;
  subject: string | null;
  paper_ids: Json<string[]> | null;
  resend_id: string | null;
  last_event: string | null;
  /** When `last_event` happened (Resend's time), so an older event arriving late does not replace it. */
  last_event_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  planned_at: CreatedAt;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  opened_at: Timestamp | null;
  clicked_at: Timestamp | null;
  bounced_at: Timestamp | null;
  complained_at: Timestamp | null;
  updated_at: CreatedAt;
}

export interface EmailEventsTable {
  id: Generated<string>;
  svix_id: string;
  type: string;
  resend_email_id: string | null;
  delivery_id: string | null;
  email: string | null;
  payload: Json<unknown>;
  occurred_at: Timestamp | null;
  received_at: CreatedAt;
  processed_at: Timestamp | null;
}

export interface SuppressionsTable {
  id: Generated<string>;
  email: string;
  reason: string;
  detail: string | null;
  created_at: CreatedAt;
  removed_at: Timestamp | null;
  removed_reason: string | null;
  removed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FeedbackTable {
  subscriber_id: string;
  paper_id: string;
  value: 1 | -1;
  created_at: CreatedAt;
}

export interface SendPacingTable {
  name: string;
  next_at: Timestamp;
  /** The latest calls' times (as many as the rate per second), oldest first. */
  calls: Generated<Date[]>;
}

export interface Database {
  papers: PapersTable;
  subscribers: SubscribersTable;
  editions: EditionsTable;
  deliveries: DeliveriesTable;
  email_events: EmailEventsTable;
  suppressions: SuppressionsTable;
  feedback: FeedbackTable;
  send_pacing: SendPacingTable;
}

export type PaperRow = Selectable<PapersTable>;
export type NewPaperRow = Insertable<PapersTable>;
export type SubscriberRow = Selectable<SubscribersTable>;
export type NewSubscriberRow = Insertable<SubscribersTable>;
export type SubscriberUpdate = Updateable<SubscribersTable>;
export type EditionRow = Selectable<EditionsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type NewDeliveryRow = Insertable<DeliveriesTable>;
export type EmailEventRow = Selectable<EmailEventsTable>;
export type SuppressionRow = Selectable<SuppressionsTable>;
export type FeedbackRow = Selectable<FeedbackTable>;
