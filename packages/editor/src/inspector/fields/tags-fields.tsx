import { useState } from 'react';
import { useLocale } from '../../app/i18n.ts';
import { TagPicker } from '../../app/TagPicker.tsx';
import type { FieldProps } from './field-props.ts';

/** A list of strings typed in one by one (Enter or leaving the field adds one). */
export function TagsField(props: FieldProps) {
  const { t } = useLocale();
  const tags = Array.isArray(props.value) ? (props.value as string[]) : [];
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim();
    if (tag && !tags.includes(tag)) props.onChange([...tags, tag]);
    setDraft('');
  };
  return (
    <div className="tags">
      {tags.map((tag) => (
        <span className="tag" key={tag}>
          {tag}
          <button type="button" onClick={() => props.onChange(tags.filter((t) => t !== tag))}>
            ×
          </button>
        </span>
      ))}
      <input
        value={draft}
        placeholder={t('inspector:tagsFields.typeThenEnter')}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
    </div>
  );
}

/** Customer tags, picked from the tags in use in the workspace. */
export function CustomerTagsField(props: FieldProps) {
  const tags = Array.isArray(props.value) ? (props.value as string[]) : [];
  return (
    <TagPicker
      value={tags}
      onAdd={(tag) => props.onChange([...tags, tag])}
      onRemove={(tag) => props.onChange(tags.filter((t) => t !== tag))}
    />
  );
}
