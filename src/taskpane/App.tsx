// The task pane: sync status, the stale conversations list with its detail, and settings. Narrower than 640 px the
// list fills the pane and a conversation opens as its own view (Back or Escape returns to its row); wider, list and
// detail sit side by side. It only talks to PaneServices; the composition root (index.tsx) decides whose they are.
import {
  FluentProvider,
  Tab,
  TabList,
  Text,
  Subtitle1,
  makeStyles,
  tokens,
  teamsHighContrastTheme,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { SettingsRegular } from "@fluentui/react-icons";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ConversationReport } from "../core/awaitingReply";
import { instant, type Instant } from "../core/message";
import { ActionToasts } from "./components/ActionToasts";
import { CleanUpView } from "./components/CleanUpView";
import { ConversationDetail } from "./components/ConversationDetail";
import { ConversationList, type ConversationListHandle } from "./components/ConversationList";
import { PaneErrorBoundary } from "./components/PaneErrorBoundary";
import { ResultsView } from "./components/ResultsView";
import { SettingsPanel } from "./components/SettingsPanel";
import { SyncStatusBar } from "./components/SyncStatusBar";
import { RoamingNotice } from "./components/RoamingNotice";
import type { HostTheme, PaneServices, RoamingStatusView } from "./services";
import {
  DEFAULT_QUERY,
  countByState,
  queryConversations,
  type ConversationQuery,
} from "./state/conversationQuery";
import { formatPaneDate, type PaneWhere } from "./state/paneDates";
import { useForcedColors, useSideBySide } from "./state/paneLayout";
import { useConversationIndex } from "./state/conversationIndex";
import { warmUpAnswerReading } from "./state/warmUp";
import { usePaneModel } from "./state/usePaneModel";

const useStyles = makeStyles({
  root: {
    height: "100vh",
    boxSizing: "border-box",
    display: "flex",
    flexDirection: "column",
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    overflow: "hidden",
  },
  header: {
    display: "grid",
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} 0`,
  },
  title: { margin: 0 },
  demo: { color: tokens.colorNeutralForeground2 },
  // Tabs carry their own padding: line their text up with the title.
  // Four tabs fit one row from 320 px: tighter padding and Settings as its gear alone in a narrow pane. A second
  // row (very large text) is still better than a tab cut off.
  tabs: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})`, flexShrink: 0, flexWrap: "wrap" },
  tab: {
    "@media (max-width: 439px)": {
      paddingLeft: tokens.spacingHorizontalXXS,
      paddingRight: tokens.spacingHorizontalXXS,
    },
  },
  wideOnly: { "@media (max-width: 439px)": { display: "none" } },
  body: { flexGrow: 1, minHeight: 0, display: "flex", flexDirection: "column" },
  sideBySide: {
    flexGrow: 1,
    minHeight: 0,
    display: "grid",
    gridTemplateColumns: "minmax(280px, 2fr) minmax(0, 3fr)",
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  listColumn: {
    minHeight: 0,
    display: "flex",
    flexDirection: "column",
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  detailColumn: { minHeight: 0, minWidth: 0, display: "flex", flexDirection: "column" },
  single: { flexGrow: 1, minHeight: 0, display: "flex", flexDirection: "column" },
  hint: { color: tokens.colorNeutralForeground2, padding: tokens.spacingHorizontalL },
  // A line under the tabs, as the list and detail have, so scrolled content does not run into them.
  settings: {
    flexGrow: 1,
    minHeight: 0,
    overflowY: "auto",
    overflowX: "hidden",
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
});

/** A made-up conversation for the template preview when the mailbox has none yet. */
const SAMPLE_REPORT: ConversationReport = {
  conversationId: "sample",
  subject: "Proposal for the spring rollout",
  state: "stale",
  reason: "sample",
  prospects: [{ address: "dana.lee@example.com", name: "Dana Lee", company: "Example" }],
  attempts: 2,
  darkDays: 24,
  sinceLastAttemptDays: 6,
  warm: true,
  proposalSent: true,
  score: 60,
  why: "sample",
  technique: "nudge",
  lastAttemptAt: instant(0),
  lastHeardAt: instant(Date.UTC(2026, 0, 12)),
  firstAttemptAt: instant(Date.UTC(2026, 0, 5)),
  lastAttemptMessageId: null,
  snoozedUntil: null,
  referrer: null,
  lastHeard: null,
  deferredUntil: null,
  successor: null,
  evidence: null,
  loggedCalls: 0,
};

/**
 * "Demo mailbox, as of 20 November 2026": the demo's clock is fixed, so the pane says which day it shows, written
 * as every other date in the pane (the user's locale and zone).
 */
export function demoLabel(now: Instant, where: PaneWhere): string {
  return `Demo mailbox, as of ${formatPaneDate(now, where)}`;
}

function useHostTheme(services: PaneServices): HostTheme {
  const [theme, setTheme] = useState<HostTheme>(() => services.host.theme());
  useEffect(() => services.host.onThemeChanged(setTheme), [services]);
  return theme;
}

/** Where decisions are kept (roaming's status), as it changes. */
function useRoamingStatus(services: PaneServices): RoamingStatusView | null {
  const [status, setStatus] = useState(() => services.roaming?.status() ?? null);
  useEffect(() => services.roaming?.subscribe(setStatus), [services]);
  return status;
}

export function App(props: { services: PaneServices }) {
  const { services } = props;
  const theme = useHostTheme(services);
  const forced = useForcedColors();
  const fluentTheme = forced ? teamsHighContrastTheme : theme.isDark ? webDarkTheme : webLightTheme;
  return (
    <FluentProvider
      theme={fluentTheme}
      data-theme={forced ? "high-contrast" : theme.isDark ? "dark" : "light"}
    >
      <Pane services={services} dark={theme.isDark || forced} />
    </FluentProvider>
  );
}

type View = "conversations" | "clean-up" | "results" | "settings";

function Pane(props: { services: PaneServices; dark: boolean }) {
  const { services, dark } = props;
  const styles = useStyles();
  const model = usePaneModel(services);
  const roaming = useRoamingStatus(services);
  const sideBySide = useSideBySide();
  const listRef = useRef<ConversationListHandle>(null);
  const [tab, setTab] = useState<View>("conversations");
  const [query, setQuery] = useState<ConversationQuery>(DEFAULT_QUERY);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // Narrow panes show the selected conversation as its own view while this is true.
  const [detailOpen, setDetailOpen] = useState(false);
  const [boundaryKey, setBoundaryKey] = useState(0);
  // Bumped when Outlook selects another item under the pinned pane; followed once the list is there.
  const [itemVersion, setItemVersion] = useState(0);
  const [followedVersion, setFollowedVersion] = useState(-1);

  const visible = useMemo(() => queryConversations(model.reports, query), [model.reports, query]);
  const where = useMemo(
    () => ({ locale: model.locale, timeZone: model.timeZone }),
    [model.locale, model.timeZone],
  );
  const counts = useMemo(() => countByState(model.reports), [model.reports]);
  const selected =
    selectedId === null ? undefined : model.reports.find((r) => r.conversationId === selectedId);
  // The detail reads only its own conversation's messages: indexed once per mailbox (in slices, between frames).
  const messagesOf = useConversationIndex(model.mailbox);
  const selectedMailbox = useMemo(
    () =>
      model.mailbox && selectedId !== null
        ? { me: model.mailbox.me, messages: [...messagesOf(selectedId)] }
        : null,
    [model.mailbox, messagesOf, selectedId],
  );

  useEffect(() => services.host.onItemChanged(() => setItemVersion((v) => v + 1)), [services]);

  // Opened on a message (or, pinned, moved to another): its conversation opens, and the list shows its state.
  if (followedVersion !== itemVersion && model.reports.length > 0) {
    setFollowedVersion(itemVersion);
    const item = services.host.openItem();
    const conversationId =
      item?.mode === "read" ? item.conversationId : item?.mode === "compose" ? item.conversationId : null;
    const report = conversationId
      ? model.reports.find((r) => r.conversationId === conversationId)
      : undefined;
    if (report) {
      setSelectedId(report.conversationId);
      setDetailOpen(true);
      if (report.state !== query.state) setQuery((q) => ({ ...q, state: "all" }));
    }
  }

  const open = useCallback((conversationId: string) => {
    setSelectedId(conversationId);
    setDetailOpen(true);
  }, []);

  const back = useCallback(() => {
    setDetailOpen(false);
    // The list mounts again in a narrow pane; focus its row once it is there.
    requestAnimationFrame(() => listRef.current?.focusSelected());
  }, []);

  // Before the mailbox is read the list as last judged may already be there (then no first sync is running).
  const listed = model.mailbox !== null || model.reports.length > 0;
  const firstSyncRunning = !listed && (model.sync.kind === "syncing" || model.sync.kind === "loading");
  // Once the list is shown, the detail's reading of answers is made ready in idle moments (see warmUp.ts).
  useEffect(
    () => (listed ? warmUpAnswerReading(services.now(), where.timeZone) : undefined),
    [listed, services, where.timeZone],
  );
  const list =
    listed || firstSyncRunning ? (
      <ConversationList
        ref={listRef}
        reports={visible}
        counts={counts}
        total={model.reports.length}
        firstSyncRunning={firstSyncRunning}
        query={query}
        onQueryChange={setQuery}
        selectedId={selectedId}
        onSelect={setSelectedId}
        onOpen={open}
        where={where}
      />
    ) : null;

  const detail =
    selected && selectedMailbox ? (
      <ConversationDetail
        key={selected.conversationId}
        report={selected}
        mailbox={selectedMailbox}
        settings={model.settings}
        services={services}
        model={model}
        dark={dark}
        onBack={sideBySide ? undefined : back}
        onOpenConversation={setSelectedId}
      />
    ) : null;

  const conversations = sideBySide ? (
    <div className={styles.sideBySide}>
      <div className={styles.listColumn}>{list}</div>
      <div className={styles.detailColumn}>
        {detail ??
          (model.mailbox !== null && (
            <Text as="p" className={styles.hint}>
              Select a conversation to see its thread and the message to send.
            </Text>
          ))}
      </div>
    </div>
  ) : (
    <div className={styles.single}>{detailOpen && detail ? detail : list}</div>
  );

  return (
    <div className={styles.root}>
      <header className={styles.header}>
        <SyncStatusBar
          title={
            <Subtitle1 as="h1" className={styles.title}>
              Rekindle
            </Subtitle1>
          }
          status={model.sync}
          lastSyncAt={model.lastSyncAt}
          hasMailbox={model.mailbox !== null}
          now={services.now}
          where={where}
          onRefresh={model.refresh}
        />
        {roaming && services.roaming && <RoamingNotice status={roaming} onEnable={services.roaming.enable} />}
        {services.mode === "demo" && (
          <Text size={200} className={styles.demo}>
            {demoLabel(services.now(), where)}
          </Text>
        )}
        <TabList
          className={styles.tabs}
          selectedValue={tab}
          onTabSelect={(_, data) => setTab(data.value as View)}
          aria-label="Views"
          size="small"
        >
          <Tab className={styles.tab} value="conversations">
            Conversations
          </Tab>
          <Tab className={styles.tab} value="clean-up">
            Clean up
          </Tab>
          <Tab className={styles.tab} value="results">
            Results
          </Tab>
          <Tab
            className={styles.tab}
            value="settings"
            icon={<SettingsRegular />}
            aria-label="Settings"
            title="Settings"
          >
            <span className={styles.wideOnly}>Settings</span>
          </Tab>
        </TabList>
      </header>
      <main className={styles.body}>
        <PaneErrorBoundary
          key={boundaryKey}
          onReset={() => {
            setBoundaryKey((k) => k + 1);
            setDetailOpen(false);
            setSelectedId(null);
            setTab("conversations");
          }}
        >
          {tab === "conversations" ? (
            <div role="tabpanel" aria-label="Conversations" className={styles.single}>
              {conversations}
            </div>
          ) : tab === "clean-up" ? (
            <div role="tabpanel" aria-label="Clean up pending file" className={styles.settings}>
              <CleanUpView
                reports={model.reports}
                me={model.mailbox?.me ?? { displayName: "" }}
                settings={model.settings}
                locale={model.locale}
                timeZone={model.timeZone}
                cleanUp={services.cleanUp}
              />
            </div>
          ) : tab === "results" ? (
            // Focusable: the results are text and tables only, and the panel scrolls (keyboard users scroll it).
            <div role="tabpanel" aria-label="Results" className={styles.settings} tabIndex={0}>
              <ResultsView
                mailbox={model.mailbox}
                sentRecords={model.sentRecords}
                settings={model.settings}
                userState={model.userState}
                timeZone={model.timeZone}
                locale={model.locale}
                now={services.now}
              />
            </div>
          ) : (
            <div role="tabpanel" aria-label="Settings" className={styles.settings}>
              <SettingsPanel
                settings={model.settings}
                onSave={model.saveSettings}
                loadEntries={model.loadEntries}
                onImportEntries={model.importEntries}
                sample={selected ?? visible[0] ?? SAMPLE_REPORT}
                me={model.mailbox?.me ?? { displayName: "Alex Morgan", givenName: "Alex" }}
                dark={dark}
                {...(services.mailFolders ? { listFolders: services.mailFolders } : {})}
              />
            </div>
          )}
        </PaneErrorBoundary>
      </main>
      <ActionToasts action={model.lastAction} error={model.saveError} onDismiss={model.dismissAction} />
    </div>
  );
}
