import { z } from 'zod';
export declare const fixtureEntry: import("@siyu/shared").NodeDefinition<"fx.entry", z.ZodObject<{
    event: z.ZodString;
}, z.core.$strip>>;
export declare const fixtureWait: import("@siyu/shared").NodeDefinition<"fx.wait", z.ZodObject<{
    duration: z.ZodObject<{
        amount: z.ZodNumber;
        unit: z.ZodEnum<{
            days: "days";
            hours: "hours";
            minutes: "minutes";
            seconds: "seconds";
            weeks: "weeks";
        }>;
    }, z.core.$strip>;
}, z.core.$strip>>;
export declare const fixtureSplit: import("@siyu/shared").NodeDefinition<"fx.split", z.ZodObject<{
    variants: z.ZodArray<z.ZodObject<{
        id: z.ZodString;
        label: z.ZodString;
        weight: z.ZodNumber;
    }, z.core.$strip>>;
}, z.core.$strip>>;
export declare const fixtureExit: import("@siyu/shared").NodeDefinition<"fx.exit", z.ZodObject<{
    reason: z.ZodOptional<z.ZodString>;
}, z.core.$strip>>;
export declare const fixturePackage: import("@siyu/shared").NodePackage;
export declare const fixtureRegistry: import("@siyu/shared").NodeRegistry;
