import { App } from 'antd';
import type { ReactNode } from 'react';
import { useLocale } from '../i18n.ts';

/**
 * Asks before a step that cannot be undone (an antd confirm in the page's theme and language, not
 * the browser's `confirm`): resolves true on OK, false on cancel. `content` should say what happens
 * to the customers concerned.
 */
export function useConfirm() {
  const { modal } = App.useApp();
  const { t } = useLocale();
  return (options: { title: ReactNode; content?: ReactNode; okText?: string; danger?: boolean }) =>
    new Promise<boolean>((resolve) => {
      modal.confirm({
        title: options.title,
        content: options.content,
        okText: options.okText ?? t('kit:useConfirm.ok'),
        cancelText: t('kit:useConfirm.cancel'),
        okButtonProps: { danger: options.danger },
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      });
    });
}
