import { useEffect, useId, useState } from 'react';
import { useLocale } from './i18n.ts';
import { api } from './server-api.ts';

/** Tags in use on the server, loaded once per page (null without a server: free typing only). */
let existing: Promise<{ tag: string; customers: number }[] | null> | undefined;
export function useExistingTags(): { tag: string; customers: number }[] | null {
  const [tags, setTags] = useState<{ tag: string; customers: number }[] | null>(null);
  useEffect(() => {
    let live = true;
    existing ??= api.tags.list.query({ limit: 500 }).catch(() => null);
    void existing.then((t) => {
      if (live) setTags(t);
    });
    return () => {
      live = false;
    };
  }, []);
  return tags;
}

/** After tags change on the server (a profile edit), the next picker reads them again. */
export function forgetExistingTags(): void {
  existing = undefined;
}

/**
 * Chips for the chosen tags and an input that suggests the tags already in use (with how many
 * customers carry each), so operators reuse "新客" instead of inventing "新客户". New tags can
 * still be typed: Enter or a comma adds one.
 */
export function TagPicker(props: {
  value: readonly string[];
  onAdd: (tag: string) => void;
  onRemove: (tag: string) => void;
  placeholder?: string;
  testId?: string;
}) {
  const { t } = useLocale();
  const tags = useExistingTags();
  const [draft, setDraft] = useState('');
  const listId = useId();
  const add = (raw: string) => {
    const tag = raw.trim().replace(/[,，]$/, '');
    if (tag && !props.value.includes(tag)) props.onAdd(tag);
    setDraft('');
  };
  return (
    <div className="tags" data-testid={props.testId} data-picker="tags">
      {props.value.map((tag) => (
        <span className="tag" key={tag}>
          {tag}
          <button type="button" onClick={() => props.onRemove(tag)} title={t('app:tagPicker.remove')}>
            ×
          </button>
        </span>
      ))}
      <input
        value={draft}
        list={listId}
        placeholder={props.placeholder ?? t('app:tagPicker.pickOrTypeATag')}
        onChange={(e) => {
          const v = e.target.value;
          // A suggestion picked from the list (not typed) is added at once.
          const picked =
            (e.nativeEvent as InputEvent).inputType === 'insertReplacementText' || !('inputType' in e.nativeEvent);
          if ((picked && tags?.some((t) => t.tag === v)) || /[,，]$/.test(v)) add(v);
          else setDraft(v);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add(draft);
          }
        }}
        onBlur={() => add(draft)}
      />
      <datalist id={listId}>
        {tags
          ?.filter((known) => !props.value.includes(known.tag))
          .map((known) => (
            <option key={known.tag} value={known.tag}>
              {t('app:tagPicker.countCustomers', { count: known.customers })}
            </option>
          ))}
      </datalist>
    </div>
  );
}
