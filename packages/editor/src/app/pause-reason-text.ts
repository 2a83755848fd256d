import { type Locale, type LocalizedText, localize, type PauseReason } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';

/**
 * Words a journey the engine paused by itself for the people who run it: the journey, the node's
 * title, the package and the versions in a sentence (no ids), what happens to its customers and
 * events meanwhile, and what to do. Strings are written in place, Chinese first, as everywhere in
 * the editor (see i18n.ts).
 */
export interface PauseReasonText {
  headline: string;
  cause: string;
  meanwhile: string;
  fix: string;
}

/**
 * `packages` are the node packages this editor knows (the registry's): a package is named by its
 * label, its npm name only when the editor does not know it (a missing package).
 */
export function pauseReasonText(
  reason: PauseReason,
  locale: Locale,
  packages: readonly { name: string; label: LocalizedText }[] = [],
): PauseReasonText {
  const t = tFor(locale);
  const title = (t: string | LocalizedText | undefined) =>
    t === undefined ? undefined : typeof t === 'string' ? t : localize(t, locale);
  const named = title(reason.node?.title);
  const node = named ? t('app:pauseReasonText.theNodeNamed', { named }) : t('app:pauseReasonText.aNode');
  const Node = named ? t('app:pauseReasonText.theNodeNamed2', { named }) : t('app:pauseReasonText.aNode2');
  const known = packages.find((p) => p.name === reason.package?.name);
  const pkg = known ? localize(known.label, locale) : (reason.package?.name ?? t('app:pauseReasonText.unknown'));
  const v = reason.version?.number;
  const inVersion = v ? t('app:pauseReasonText.versionV', { v }) : '';
  const saved = reason.node?.typeVersion;
  const installed = reason.node?.installedVersion;
  let cause: string;
  switch (reason.kind) {
    case 'packageMissing':
      cause = t('app:pauseReasonText.inVersionNodeComesFrom', { inVersion, node, pkg });
      break;
    case 'executorFailing':
      cause = t('app:pauseReasonText.nodePackagePkgKeepsFailing', { node, pkg, Node });
      break;
    default:
      cause = t('app:pauseReasonText.inVersionTheSettingsOf', {
        inVersion,
        node,
        pkg,
        value: saved && installed ? t('app:pauseReasonText.savedAtNodeVersionSaved', { saved, installed }) : '',
      });
  }
  return {
    headline: t('app:pauseReasonText.theJourneyNameWasPaused', { name: reason.journey.name }),
    cause,
    meanwhile: t('app:pauseReasonText.everyOtherJourneyCarriesOn'),
    fix:
      reason.kind === 'packageMissing'
        ? t('app:pauseReasonText.installOrFixThePackage')
        : reason.kind === 'executorFailing'
          ? t('app:pauseReasonText.fixThePackageThenResume')
          : t('app:pauseReasonText.addAConfigMigrationTo'),
  };
}
