import { Button, Card, Form, Input, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { useErrorText } from '../app/kit/query.ts';
import { CHANNELS_HREF } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { useStaffDirectory } from '../app/staff-names.ts';

type Code = { code: string; label: string };

/**
 * In WeCom sandbox mode, plays a customer scanning a live code and adding a staff member: the
 * same events the real WeCom callback produces (wecom.contactAdded + channel.entered), so entry
 * nodes fire and the welcome message lands in the inbox below.
 */
export function SimulateContact({ onDone }: { onDone: () => void }) {
  const { t } = useLocale();
  const [sandbox, setSandbox] = useState(false);
  const [codes, setCodes] = useState<Code[]>([]);
  const [code, setCode] = useState('');
  const [externalUserId, setExternalUserId] = useState('');
  const [name, setName] = useState('');
  const staff = (useStaffDirectory().data ?? []).filter((m) => m.active);
  /** The staff member the customer adds: the first in the directory unless one is picked (none: the server's default). */
  const [userId, setUserId] = useState<string>();
  const chosenStaff = staff.find((m) => m.userId === userId) ?? staff[0];
  const [result, setResult] = useState('');
  const [error, setError] = useErrorText();
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    api.wecom.mode.query().then(
      (m) => setSandbox(m.mode === 'sandbox'),
      () => setSandbox(false),
    );
    api.channels.list.query().then(
      (channels) => {
        const list = channels.flatMap((c) =>
          c.codes.map((k) => ({ code: k.code, label: `${c.name} · ${k.variant} (${k.code})` })),
        );
        setCodes(list);
        setCode((old) => old || list[0]?.code || '');
      },
      () => setCodes([]),
    );
  }, []);
  if (!sandbox) return null;
  const add = () => {
    setError('');
    setAdding(true);
    api.wecom.simulateContactAdded
      .mutate({
        code,
        externalUserId: externalUserId || undefined,
        name: name.trim() || undefined,
        userId: chosenStaff?.userId,
      })
      .then(
        (r) => {
          setResult(
            t('pages:simulateContact.customerAdded', {
              name: name.trim() || t('pages:simulateContact.aNewCustomer'),
              staff: chosenStaff?.name ?? '',
              count: r.enrolled,
            }),
          );
          onDone();
        },
        (e: Error) => setError(e),
      )
      .finally(() => setAdding(false));
  };
  return (
    <Card
      size="small"
      className="simulate-contact"
      data-testid="simulate-contact"
      title={t('pages:simulateContact.simulateACustomerAddingWecom')}
    >
      {codes.length === 0 ? (
        <Typography.Text type="secondary">
          {t('pages:simulateContact.createAChannelLiveCode')}{' '}
          <a href={CHANNELS_HREF} data-testid="simulate-go-to-channels">
            {t('pages:simulateContact.goToChannels')} →
          </a>
        </Typography.Text>
      ) : (
        <Form layout="inline" onFinish={add}>
          <Form.Item>
            <Select
              className="simulate-code"
              value={code}
              onChange={setCode}
              data-testid="simulate-code"
              options={codes.map((c) => ({ value: c.code, label: c.label }))}
            />
          </Form.Item>
          {staff.length > 0 && (
            <Form.Item>
              <Select
                value={chosenStaff?.userId}
                onChange={setUserId}
                aria-label={t('pages:simulateContact.staff')}
                data-testid="simulate-staff"
                options={staff.map((m) => ({ value: m.userId, label: m.name }))}
              />
            </Form.Item>
          )}
          <Form.Item>
            <Input
              value={externalUserId}
              onChange={(e) => setExternalUserId(e.target.value.trim())}
              placeholder={t('pages:simulateContact.externalUserIdOptional')}
              data-testid="simulate-external-id"
            />
          </Form.Item>
          <Form.Item>
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={t('pages:simulateContact.wecomNameOptionalDisplayName', { placeholder: '{{displayName}}' })}
              data-testid="simulate-name"
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={adding} data-testid="simulate-add">
              {t('pages:simulateContact.addContact')}
            </Button>
          </Form.Item>
        </Form>
      )}
      {result && (
        <Typography.Text type="success" data-testid="simulate-result">
          {result}
        </Typography.Text>
      )}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Card>
  );
}
