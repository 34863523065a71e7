'use client';

import { useEffect, useId, useRef, useState } from 'react';

const BUTTON = 'rounded-lg px-3 py-1.5 text-sm font-medium disabled:opacity-50';
const TONES = {
  primary: 'bg-brand-600 text-white hover:bg-brand-700',
  neutral: 'border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800',
  danger:
    'border border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950',
} as const;

/**
 * A button whose action needs a second, explicit step: the first click asks `question` in place
 * with "confirm" and "Cancel" (focus moves to the question's confirm button; Escape cancels).
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled = false,
  tone = 'neutral',
  accessibleLabel,
}: {
  label: string;
  /** A fuller name for assistive technology when `label` alone is ambiguous (several "End" buttons). */
  accessibleLabel?: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  tone?: keyof typeof TONES;
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const questionId = useId();

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  const close = () => {
    setAsking(false);
    // Back to the button that opened the question, for keyboard users.
    setTimeout(() => openerRef.current?.focus(), 0);
  };

  if (!asking) {
    return (
      <button
        ref={openerRef}
        type="button"
        disabled={disabled}
        onClick={() => setAsking(true)}
        aria-label={accessibleLabel}
        className={`${BUTTON} ${TONES[tone]}`}
      >
        {label}
      </button>
    );
  }
  return (
    <div
      role="group"
      aria-labelledby={questionId}
      className="flex flex-wrap items-center gap-2 rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm dark:border-amber-800 dark:bg-amber-950"
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <span id={questionId}>{question}</span>
      <button
        ref={confirmRef}
        type="button"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        className={`${BUTTON} ${TONES[tone === 'neutral' ? 'primary' : tone]}`}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={close} className={`${BUTTON} ${TONES.neutral}`}>
        Cancel
      </button>
    </div>
  );
}
