import { App as AntdApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ReactNode, useMemo } from 'react';
import { useLocale } from '../i18n.ts';

/** antd's tokens set to the editor's own colours (styles/base.css), so kit parts and hand-drawn parts read as one page. */
export const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#2563eb',
    colorError: '#dc2626',
    colorWarning: '#d97706',
    colorSuccess: '#16a34a',
    colorText: '#0f172a',
    colorBorder: '#cbd5e1',
    colorBorderSecondary: '#e2e8f0',
    borderRadius: 6,
    fontSize: 13,
    fontFamily: 'inherit',
  },
  components: {
    Table: { headerBg: '#f8fafc', rowHoverBg: '#f8fafc', cellPaddingBlock: 10, cellPaddingInline: 10 },
  },
};

/**
 * antd for the server app's pages, with its locale (and dayjs's, for date pickers) following the
 * UI language. antd's `App` gives message / notification / modal their context (theme and
 * locale) through `App.useApp()`. Loaded on demand (ServerApp.tsx): the sign-in form and the
 * browser-only editor use no antd part.
 */
export function AntdKit({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  const theme = useMemo(
    // Operators who asked their system for less motion get none (and so do the browser tests' screenshots).
    () => ({ ...THEME, token: { ...THEME.token, motion: !matchMedia('(prefers-reduced-motion: reduce)').matches } }),
    [],
  );
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntdApp component={false}>{children}</AntdApp>
    </ConfigProvider>
  );
}
