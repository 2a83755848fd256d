import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { trpc, useErrorText } from '../kit/query.ts';
import type { JourneyDetails } from './use-draft-autosave.ts';

/**
 * Renames a journey, describes it and files it in a folder (the list filters by folder; an
 * existing folder is offered as you type). `save` goes through the draft's save queue.
 */
export function JourneyDetailsDialog(props: {
  details: JourneyDetails;
  save: (details: JourneyDetails) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useLocale();
  const [form] = Form.useForm<JourneyDetails>();
  const name = Form.useWatch('name', form) ?? props.details.name;
  const folders = useQuery(trpc.journeys.folders.queryOptions()).data ?? [];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useErrorText();
  const save = async (details: JourneyDetails) => {
    setBusy(true);
    setError('');
    try {
      await props.save({ ...details, name: details.name.trim(), folder: (details.folder ?? '').trim() });
      props.onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('journeys:journeyDetailsDialog.nameAndDescription')}
      okText={t('journeys:journeyDetailsDialog.save')}
      cancelText={t('journeys:confirmDialog.cancel')}
      okButtonProps={{ disabled: name.trim() === '', 'data-testid': 'details-save' }}
      cancelButtonProps={{ disabled: busy }}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      modalRender={(node) => <div data-testid="journey-details-dialog">{node}</div>}
    >
      <Form<JourneyDetails> form={form} layout="vertical" initialValues={props.details} onFinish={(v) => void save(v)}>
        <Form.Item
          name="name"
          label={t('journeys:journeyDetailsDialog.name')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={100} data-testid="details-name" />
        </Form.Item>
        <Form.Item name="description" label={t('journeys:journeyDetailsDialog.descriptionWhatItIsFor')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="details-description" />
        </Form.Item>
        <Form.Item name="folder" label={t('journeys:journeyDetailsDialog.folderOptional')}>
          <AutoComplete
            options={folders.map((f) => ({ value: f }))}
            filterOption={(input, option) => String(option?.value ?? '').includes(input)}
          >
            <Input maxLength={50} data-testid="details-folder" />
          </AutoComplete>
        </Form.Item>
      </Form>
      {error && <p className="field-message">{error}</p>}
    </Modal>
  );
}
