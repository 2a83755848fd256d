/**
 * SMS billing in China: a message of up to 70 characters (signature included) is one part; longer
 * messages are split into parts of 67 characters each. Characters count as code points.
 */
export declare const SMS_SINGLE_LIMIT = 70;
export declare const SMS_PART_LIMIT = 67;
export interface SmsCount {
    chars: number;
    parts: number;
}
export declare function countSms(text: string, signature?: string): SmsCount;
/** Marketing SMS must tell people how to opt out (e.g. "回T退订"). */
export declare function hasUnsubscribeHint(text: string): boolean;
