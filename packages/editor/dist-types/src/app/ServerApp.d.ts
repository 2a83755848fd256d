/** The editor against the real server: sign-in, journey list, autosaved drafts, publishing. */
export declare function ServerApp({ signedIn }: {
    signedIn: boolean;
}): import("react").JSX.Element;
