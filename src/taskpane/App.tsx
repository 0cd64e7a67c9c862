// The task pane: sync status, the stale conversations list with its detail panel, and settings. It only talks to
// PaneServices; the composition root (index.tsx) decides whether those are Outlook's or the demo's.
import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Tab,
  TabList,
  Text,
  Title3,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { useEffect, useMemo, useState } from "react";
import type { ConversationReport } from "../core/awaitingReply";
import { instant } from "../core/message";
import { ConversationDetail } from "./components/ConversationDetail";
import { ConversationList } from "./components/ConversationList";
import { SettingsPanel } from "./components/SettingsPanel";
import { SyncStatusBar } from "./components/SyncStatusBar";
import { UndoBar } from "./components/UndoBar";
import type { HostTheme, PaneServices } from "./services";
import {
  DEFAULT_QUERY,
  countByState,
  queryConversations,
  type ConversationQuery,
} from "./state/conversationQuery";
import { usePaneModel } from "./state/usePaneModel";

const useStyles = makeStyles({
  root: { minHeight: "100vh", boxSizing: "border-box", backgroundColor: tokens.colorNeutralBackground1 },
  main: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr)",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    maxWidth: "900px",
    margin: "0 auto",
  },
  header: {
    display: "flex",
    alignItems: "baseline",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
  },
  hint: { color: tokens.colorNeutralForeground2, paddingTop: tokens.spacingVerticalM },
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

function useHostTheme(services: PaneServices): HostTheme {
  const [theme, setTheme] = useState<HostTheme>(() => services.host.theme());
  useEffect(() => services.host.onThemeChanged(setTheme), [services]);
  return theme;
}

export function App(props: { services: PaneServices }) {
  const { services } = props;
  const theme = useHostTheme(services);
  return (
    <FluentProvider
      theme={theme.isDark ? webDarkTheme : webLightTheme}
      data-theme={theme.isDark ? "dark" : "light"}
    >
      <Pane services={services} dark={theme.isDark} />
    </FluentProvider>
  );
}

function Pane(props: { services: PaneServices; dark: boolean }) {
  const { services, dark } = props;
  const styles = useStyles();
  const model = usePaneModel(services);
  const [tab, setTab] = useState<"conversations" | "settings">("conversations");
  const [query, setQuery] = useState<ConversationQuery>(DEFAULT_QUERY);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // Bumped when Outlook selects another item under the pinned pane; followed once the list is there.
  const [itemVersion, setItemVersion] = useState(0);
  const [followedVersion, setFollowedVersion] = useState(-1);

  const visible = useMemo(() => queryConversations(model.reports, query), [model.reports, query]);
  const counts = useMemo(() => countByState(model.reports), [model.reports]);
  const selected =
    selectedId === null ? undefined : model.reports.find((r) => r.conversationId === selectedId);

  useEffect(() => services.host.onItemChanged(() => setItemVersion((v) => v + 1)), [services]);

  // Opened on a message (or, pinned, moved to another): its conversation is selected, and the list shows its state.
  useEffect(() => {
    if (followedVersion === itemVersion || model.reports.length === 0) return;
    setFollowedVersion(itemVersion);
    const item = services.host.openItem();
    const conversationId =
      item?.mode === "read" ? item.conversationId : item?.mode === "compose" ? item.conversationId : null;
    const report = conversationId
      ? model.reports.find((r) => r.conversationId === conversationId)
      : undefined;
    if (report) {
      setSelectedId(report.conversationId);
      if (report.state !== query.state) setQuery((q) => ({ ...q, state: "all" }));
    }
  }, [model.reports, itemVersion, followedVersion, services, query.state]);

  return (
    <div className={styles.root}>
      <main className={styles.main}>
        <div className={styles.header}>
          <Title3 as="h1">Rekindle</Title3>
          {services.mode === "demo" && <Text size={200}>Demo mailbox</Text>}
        </div>
        <SyncStatusBar
          status={model.sync}
          lastSyncAt={model.lastSyncAt}
          hasMailbox={model.mailbox !== null}
          now={services.now}
          onRefresh={model.refresh}
        />
        <UndoBar action={model.lastAction} onDismiss={model.dismissAction} />
        {model.saveError && (
          <MessageBar intent="error">
            <MessageBarBody>{model.saveError}</MessageBarBody>
          </MessageBar>
        )}
        <TabList
          selectedValue={tab}
          onTabSelect={(_, data) => setTab(data.value as "conversations" | "settings")}
          aria-label="Views"
        >
          <Tab value="conversations">Conversations</Tab>
          <Tab value="settings">Settings</Tab>
        </TabList>
        {tab === "conversations" ? (
          <div role="tabpanel" aria-label="Conversations">
            {model.mailbox !== null && (
              <ConversationList
                reports={visible}
                counts={counts}
                query={query}
                onQueryChange={setQuery}
                selectedId={selectedId}
                onSelect={setSelectedId}
              />
            )}
            {selected && model.mailbox ? (
              <ConversationDetail
                key={selected.conversationId}
                report={selected}
                mailbox={model.mailbox}
                settings={model.settings}
                services={services}
                model={model}
                dark={dark}
              />
            ) : (
              model.mailbox !== null && (
                <Text as="p" className={styles.hint}>
                  Select a conversation to see its thread and the message to send.
                </Text>
              )
            )}
          </div>
        ) : (
          <div role="tabpanel" aria-label="Settings">
            <SettingsPanel
              settings={model.settings}
              onSave={model.saveSettings}
              sample={selected ?? visible[0] ?? SAMPLE_REPORT}
              me={model.mailbox?.me ?? { displayName: "Alex Morgan", givenName: "Alex" }}
              dark={dark}
            />
          </div>
        )}
      </main>
    </div>
  );
}
