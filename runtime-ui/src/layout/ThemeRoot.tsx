import { StyleProvider } from '@ant-design/cssinjs';
import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { createKeepingStyleCache } from './style-cache';

const styleCache = createKeepingStyleCache();

// Slightly larger text and controls than antd's defaults: many users read on old screens and phones.
const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5fbf',
    fontSize: 15,
    controlHeight: 36,
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
  },
  components: {
    Layout: { headerBg: '#1d5fbf', headerColor: '#fff', headerHeight: 56, headerPadding: '0 12px', bodyBg: '#f5f6f8' },
  },
};

/** antd's theme and locale (date pickers, pagination, empty states) follow the interface language. */
export function ThemeRoot({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <StyleProvider cache={styleCache}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </StyleProvider>
  );
}
