import type { ReactNode } from 'react';
import type { SubscriberStatus } from '../../db/schema.js';
import type { FormField, PreferencesFormErrors, PreferencesFormValues } from '../preferences-form.js';
import { Layout } from './layout.js';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface PreferencesPageProps {
  senderName: string;
  email: string;
  status: SubscriberStatus;
  values: PreferencesFormValues;
  errors?: PreferencesFormErrors;
  notice?: string;
  urls: {
    self: string;
    preview?: string | undefined;
    data: string;
    signOut: string;
    delete: string;
    /** POST target of the unsubscribe button, or of "subscribe again" when unsubscribed. */
    unsubscribe: string;
    resubscribe: string;
  };
}

function described(field: FormField, errors: PreferencesFormErrors, hint?: boolean) {
  const ids = [hint ? `${field}-hint` : '', errors[field] ? `${field}-error` : ''].filter(Boolean).join(' ');
  return {
    id: field,
    name: field,
    'aria-invalid': errors[field] ? ('true' as const) : undefined,
    'aria-describedby': ids || undefined,
  };
}

function FieldError({ field, errors }: { field: FormField; errors: PreferencesFormErrors }) {
  if (!errors[field]) return null;
  return (
    <p className="error" id={`${field}-error`}>
      {errors[field]}
    </p>
  );
}

function TextField(props: {
  field: FormField;
  label: string;
  hint: string;
  values: PreferencesFormValues;
  errors: PreferencesFormErrors;
  type?: 'text' | 'number';
  extra?: Record<string, string | number>;
}) {
  const { field, errors } = props;
  return (
    <>
      <label htmlFor={field}>
        {props.label}
        <span className="hint" id={`${field}-hint`}>
          {props.hint}
        </span>
      </label>
      <input
        type={props.type ?? 'text'}
        defaultValue={props.values[field]}
        {...described(field, errors, true)}
        {...props.extra}
      />
      <FieldError field={field} errors={errors} />
    </>
  );
}

function Choices(props: {
  field: FormField;
  legend: string;
  options: [string, string][];
  values: PreferencesFormValues;
  errors: PreferencesFormErrors;
}) {
  const { field, errors } = props;
  return (
    <fieldset aria-describedby={errors[field] ? `${field}-error` : undefined}>
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <label className="choice" key={value}>
          <input type="radio" name={field} value={value} defaultChecked={props.values[field] === value} />{' '}
          {label}
        </label>
      ))}
      <FieldError field={field} errors={errors} />
    </fieldset>
  );
}

function Select(props: {
  field: FormField;
  label: string;
  options: [string, string][];
  values: PreferencesFormValues;
  errors: PreferencesFormErrors;
}) {
  const { field, errors } = props;
  return (
    <>
      <label htmlFor={field}>{props.label}</label>
      <select defaultValue={props.values[field]} {...described(field, errors)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <FieldError field={field} errors={errors} />
    </>
  );
}

const STATUS_TEXT: Record<SubscriberStatus, string> = {
  active: 'You are subscribed.',
  pending: 'Your subscription is not confirmed yet: use the link in the confirmation email.',
  unsubscribed: 'You are unsubscribed: no digests are sent to you.',
};

export function PreferencesPage(props: PreferencesPageProps) {
  const { values, urls } = props;
  const errors = props.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const hours: [string, string][] = Array.from({ length: 24 }, (_, h) => [
    String(h),
    `${String(h).padStart(2, '0')}:00`,
  ]);
  const section = (title: string, body: ReactNode) => (
    <section aria-labelledby={`h-${title.replace(/\W+/g, '-')}`}>
      <h2 id={`h-${title.replace(/\W+/g, '-')}`}>{title}</h2>
      {body}
    </section>
  );
  return (
    <Layout title="Your preferences" senderName={props.senderName}>
      <h1>Your preferences</h1>
      <p>
        For <strong>{props.email}</strong>. {STATUS_TEXT[props.status]}
      </p>
      {props.notice && (
        <p className="notice" role="status">
          {props.notice}
        </p>
      )}
      {hasErrors && (
        <p className="notice bad" role="alert">
          Nothing was saved: {Object.keys(errors).length === 1 ? 'one field needs' : 'some fields need'} a
          fix, marked below.
        </p>
      )}
      <form method="post" action={urls.self} noValidate>
        <TextField
          field="topics"
          label="Topics"
          hint="Comma-separated: multi-agent, reinforcement learning"
          values={values}
          errors={errors}
        />
        <TextField
          field="exclude"
          label="Leave out papers about"
          hint="Comma-separated"
          values={values}
          errors={errors}
        />
        <TextField
          field="follow"
          label="Authors and organisations to follow"
          hint="Comma-separated: Meta AI, Yann LeCun"
          values={values}
          errors={errors}
        />
        <TextField
          field="minUpvotes"
          label="Minimum upvotes"
          hint="0 to include every paper"
          type="number"
          extra={{ min: 0, inputMode: 'numeric' }}
          values={values}
          errors={errors}
        />
        <TextField
          field="maxPapers"
          label="Papers per digest"
          hint="1 to 50"
          type="number"
          extra={{ min: 1, max: 50, inputMode: 'numeric' }}
          values={values}
          errors={errors}
        />
        <Choices
          field="frequency"
          legend="How often"
          options={[
            ['daily', 'Every day'],
            ['weekdays', 'Weekdays only'],
            ['weekly', 'Once a week'],
          ]}
          values={values}
          errors={errors}
        />
        <Select
          field="weeklyDay"
          label="Day of the weekly digest"
          options={WEEKDAYS.map((d, i) => [String(i + 1), d])}
          values={values}
          errors={errors}
        />
        <TextField
          field="timezone"
          label="Your time zone"
          hint="Start typing a city: Europe/Berlin, America/New_York"
          values={values}
          errors={errors}
          extra={{ list: 'time-zones', autoComplete: 'off', spellCheck: 'false' }}
        />
        <datalist id="time-zones">
          {TIME_ZONES.map((tz) => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
        <Select
          field="sendHour"
          label="Send at (your own time)"
          options={hours}
          values={values}
          errors={errors}
        />
        <Choices
          field="template"
          legend="Look"
          options={[
            ['classic', 'Classic'],
            ['modern', 'Modern'],
          ]}
          values={values}
          errors={errors}
        />
        <Choices
          field="format"
          legend="Format"
          options={[
            ['html', 'Formatted (HTML)'],
            ['text', 'Plain text'],
          ]}
          values={values}
          errors={errors}
        />
        <Choices
          field="abstracts"
          legend="Abstracts"
          options={[
            ['short', 'Short'],
            ['full', 'Full'],
            ['none', 'None, titles only'],
          ]}
          values={values}
          errors={errors}
        />
        <Choices
          field="quietDay"
          legend="When nothing new matches"
          options={[
            ['skip', 'Send nothing'],
            ['note', 'Send a short note'],
          ]}
          values={values}
          errors={errors}
        />
        <button type="submit">Save preferences</button>
      </form>
      {urls.preview &&
        section(
          'Preview',
          <p>
            <a href={urls.preview}>Show me a preview of tomorrow&apos;s digest</a> with the preferences saved
            above.
          </p>,
        )}
      {section(
        props.status === 'unsubscribed' ? 'Subscribe again' : 'Unsubscribe',
        props.status === 'unsubscribed' ? (
          <form method="post" action={urls.resubscribe}>
            <button type="submit">Subscribe me again</button>
          </form>
        ) : (
          <form method="post" action={urls.unsubscribe}>
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <button type="submit" className="secondary">
              Unsubscribe from every digest
            </button>
          </form>
        ),
      )}
      {section(
        'Your data',
        <>
          <p>
            <a href={urls.data} download="paperboy-data.json">
              Download my data
            </a>{' '}
            (JSON: your address, preferences, feedback and deliveries).
          </p>
          <form method="post" action={urls.signOut}>
            <p>
              Forwarded an email by mistake? This makes every link sent so far stop working; you get a new one
              here.
            </p>
            <button type="submit" className="secondary">
              Sign out my old links
            </button>
          </form>
          <form method="post" action={urls.delete}>
            <p>Deleting removes your address, preferences and history for good.</p>
            <label className="choice">
              <input type="checkbox" name="confirm" value="yes" required /> Yes, delete everything about me
            </label>
            <button type="submit" className="danger">
              Delete me
            </button>
          </form>
        </>,
      )}
    </Layout>
  );
}
