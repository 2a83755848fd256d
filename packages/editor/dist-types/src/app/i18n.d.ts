import { type Locale, type LocalizedText } from '@siyu/shared';
export declare function useLocale(): {
    locale: "en" | "zh-CN";
    tr: (zh: string, en: string) => string;
    loc: (text: LocalizedText) => string;
    setLocale: (next: Locale) => void;
};
