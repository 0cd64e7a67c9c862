// The stale conversations: filters, sort and search above a virtualized listbox that fills the height it has, so
// thousands of rows stay smooth with only the visible ones in the DOM. Mail text is rendered as React text only,
// on one line (control characters stripped).
import {
  Badge,
  Button,
  Field,
  Input,
  Select,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ChevronDoubleUpRegular, ChevronDownRegular, ChevronUpRegular } from "@fluentui/react-icons";
import { useVirtualizer } from "@tanstack/react-virtual";
import {
  useEffect,
  useImperativeHandle,
  useRef,
  type KeyboardEvent,
  type ReactElement,
  type Ref,
} from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import { readableName } from "../../core/names";
import { singleLine } from "../../core/plainText";
import { TECHNIQUES, TECHNIQUE_LABELS, isTechnique } from "../../core/technique";
import {
  DEFAULT_QUERY,
  SORT_LABELS,
  STATE_FILTERS,
  STATE_LABELS,
  stateLabel,
  type ConversationQuery,
  type SortKey,
  type StateFilter,
} from "../state/conversationQuery";
import { formatPaneDate, type PaneWhere } from "../state/paneDates";
import { URGENCY_LABELS, urgencyOf, type UrgencyBand } from "../state/urgency";
import { counted } from "../../core/wording";

const ROW_HEIGHT = 76;

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", flexGrow: 1, minHeight: 0 },
  controls: {
    display: "grid",
    gridTemplateColumns: "repeat(2, minmax(0, 1fr))",
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS}`,
  },
  search: { gridColumn: "1 / -1" },
  // Long option labels must not widen a column in a narrow pane.
  control: { minWidth: 0, maxWidth: "100%" },
  countRow: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
    padding: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS}`,
  },
  sort: { alignItems: "center", columnGap: tokens.spacingHorizontalXS, gridTemplateColumns: "auto auto" },
  scroller: {
    flexGrow: 1,
    minHeight: "160px",
    overflowY: "auto",
    overflowX: "hidden",
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    outlineOffset: "-2px",
    ":focus-visible": { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  row: {
    position: "absolute",
    left: 0,
    right: 0,
    boxSizing: "border-box",
    height: `${ROW_HEIGHT}px`,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    cursor: "pointer",
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) auto",
    columnGap: tokens.spacingHorizontalS,
    alignContent: "center",
    ":hover": { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    boxShadow: `inset 4px 0 0 ${tokens.colorBrandStroke1}`,
  },
  hidden: {
    position: "absolute",
    width: "1px",
    height: "1px",
    overflow: "hidden",
    clipPath: "inset(50%)",
    whiteSpace: "nowrap",
  },
  ellipsis: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
  meta: {
    display: "flex",
    gap: tokens.spacingHorizontalXS,
    alignItems: "center",
    justifyContent: "flex-end",
  },
  secondary: { color: tokens.colorNeutralForeground2 },
  wide: { gridColumn: "1 / -1" },
  technique: { fontSize: tokens.fontSizeBase200 },
  empty: {
    display: "grid",
    gap: tokens.spacingVerticalS,
    justifyItems: "start",
    padding: tokens.spacingHorizontalM,
  },
});

const URGENCY_ICONS: Readonly<Record<UrgencyBand, ReactElement>> = {
  high: <ChevronDoubleUpRegular />,
  medium: <ChevronUpRegular />,
  low: <ChevronDownRegular />,
};
const URGENCY_COLORS = { high: "danger", medium: "warning", low: "informative" } as const;

/** What the parent can ask of the list: focus the selected row again (after Back). */
export interface ConversationListHandle {
  focusSelected(): void;
}

export interface ConversationListProps {
  readonly ref?: Ref<ConversationListHandle>;
  readonly reports: readonly ConversationReport[];
  readonly counts: Readonly<Record<StateFilter, number>>;
  /** How many conversations the engine reported in all, before filters. */
  readonly total: number;
  /** True while the very first sync is still reading mail (nothing cached yet). */
  readonly firstSyncRunning: boolean;
  readonly query: ConversationQuery;
  readonly onQueryChange: (query: ConversationQuery) => void;
  readonly selectedId: string | null;
  /** Moves the selection (arrow keys). */
  readonly onSelect: (conversationId: string) => void;
  /** Opens the conversation's detail (click, Enter). */
  readonly onOpen: (conversationId: string) => void;
  /** The user's locale and zone: a row's dates read as the detail's do. */
  readonly where: PaneWhere;
}

/** The prospect line of a row: "Name · Company +1", names on one line as text. */
export function prospectLabel(report: ConversationReport): string {
  const p = report.prospects[0];
  if (!p) return "(no prospect)";
  const more = report.prospects.length > 1 ? ` +${report.prospects.length - 1}` : "";
  return singleLine(`${readableName(p.name) || p.address}${p.company ? ` · ${p.company}` : ""}${more}`);
}

/** The words a screen reader hears after a row's visible text: urgency, state and suggested technique. */
export function rowStatus(report: ConversationReport): string {
  const band = URGENCY_LABELS[urgencyOf(report.score)];
  const technique = report.technique ? ` Suggested: ${TECHNIQUE_LABELS[report.technique]}.` : "";
  return `${band} urgency, score ${report.score}. ${stateLabel(report.state)}.${technique}`;
}

/** Why the list is empty, in the user's terms, with the way out where there is one. */
function emptyReason(props: ConversationListProps): { text: string; clear: boolean } {
  if (props.firstSyncRunning) {
    return {
      text: "Your first sync is still reading your mail. Conversations appear here when it is done.",
      clear: false,
    };
  }
  const { query } = props;
  if (query.search.trim())
    return { text: `No conversation matches “${singleLine(query.search.trim())}”.`, clear: true };
  if (query.technique !== "all" || (query.state !== "stale" && query.state !== "all"))
    return { text: "No conversation matches these filters.", clear: true };
  return {
    text: "Nothing has gone quiet yet. A conversation shows up here once you wrote last and the other side has been silent longer than your follow-up time.",
    clear: false,
  };
}

export function ConversationList(props: ConversationListProps) {
  const { reports, counts, query, onQueryChange, selectedId, onSelect, onOpen } = props;
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: reports.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => reports[index]?.conversationId ?? index,
  });
  const selectedIndex = selectedId === null ? -1 : reports.findIndex((r) => r.conversationId === selectedId);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: "auto" });
  }, [selectedIndex, virtualizer]);

  useImperativeHandle(props.ref, () => ({ focusSelected: () => scrollRef.current?.focus() }), []);

  const move = (to: number) => {
    const target = reports[Math.max(0, Math.min(reports.length - 1, to))];
    if (target) onSelect(target.conversationId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 5) / ROW_HEIGHT) - 1,
    );
    const current = reports[selectedIndex];
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selectedIndex + 1),
      ArrowUp: () => move(selectedIndex < 0 ? 0 : selectedIndex - 1),
      Home: () => move(0),
      End: () => move(reports.length - 1),
      PageDown: () => move(selectedIndex + page),
      PageUp: () => move(selectedIndex - page),
      Enter: () => current && onOpen(current.conversationId),
      " ": () => current && onOpen(current.conversationId),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  const empty = reports.length === 0 ? emptyReason(props) : null;

  return (
    <section aria-label="Stale conversations" className={styles.section}>
      <div className={styles.controls}>
        <Field label="Search" className={styles.search}>
          <Input
            type="search"
            value={query.search}
            placeholder="Name, company or subject"
            onChange={(_, data) => onQueryChange({ ...query, search: data.value })}
          />
        </Field>
        <Field label="Show" className={styles.control}>
          <Select
            className={styles.control}
            value={query.state}
            onChange={(_, data) => onQueryChange({ ...query, state: data.value as StateFilter | "all" })}
          >
            {STATE_FILTERS.map((s) => (
              <option key={s} value={s}>
                {`${STATE_LABELS[s]} (${counts[s]})`}
              </option>
            ))}
            <option value="all">All</option>
          </Select>
        </Field>
        <Field label="Technique" className={styles.control}>
          <Select
            className={styles.control}
            value={query.technique}
            onChange={(_, data) =>
              onQueryChange({ ...query, technique: isTechnique(data.value) ? data.value : "all" })
            }
          >
            <option value="all">Any</option>
            {TECHNIQUES.map((t) => (
              <option key={t} value={t}>
                {TECHNIQUE_LABELS[t]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className={styles.countRow}>
        <Text size={200} className={styles.secondary} aria-live="polite" role="status">
          {counted(reports.length, "conversation")}
        </Text>
        <Field label="Sort by" orientation="horizontal" size="small" className={styles.sort}>
          <Select
            size="small"
            value={query.sort}
            onChange={(_, data) => onQueryChange({ ...query, sort: data.value as SortKey })}
          >
            {(Object.keys(SORT_LABELS) as SortKey[]).map((k) => (
              <option key={k} value={k}>
                {SORT_LABELS[k]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div
        ref={scrollRef}
        className={styles.scroller}
        role="listbox"
        aria-label="Conversations"
        tabIndex={0}
        aria-activedescendant={selectedIndex >= 0 ? rowId(reports[selectedIndex]!) : undefined}
        onKeyDown={onKeyDown}
        data-testid="conversation-list"
      >
        {empty ? (
          <div className={styles.empty} role="presentation" data-testid="empty-list">
            <Text>{empty.text}</Text>
            {empty.clear && (
              <Button size="small" onClick={() => onQueryChange(DEFAULT_QUERY)}>
                Clear search and filters
              </Button>
            )}
          </div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }} role="presentation">
            {virtualizer.getVirtualItems().map((item) => {
              const report = reports[item.index]!;
              const selected = report.conversationId === selectedId;
              const band = urgencyOf(report.score);
              const label = prospectLabel(report);
              const subject = singleLine(report.subject) || "(no subject)";
              return (
                <div
                  key={item.key}
                  id={rowId(report)}
                  role="option"
                  aria-selected={selected}
                  aria-setsize={reports.length}
                  aria-posinset={item.index + 1}
                  className={mergeClasses(styles.row, selected && styles.selected)}
                  style={{ transform: `translateY(${item.start}px)` }}
                  onClick={() => onOpen(report.conversationId)}
                  data-conversation-id={report.conversationId}
                >
                  {/* At 350 px a long name or subject is cut: the whole of it shows on hover. */}
                  <Text weight="semibold" className={styles.ellipsis} title={label}>
                    {label}
                  </Text>
                  <span className={styles.meta}>
                    <Tooltip
                      content={`Score ${report.score} of 100: ${singleLine(report.why)}`}
                      relationship="description"
                      withArrow
                    >
                      <Badge
                        appearance="tint"
                        color={URGENCY_COLORS[band]}
                        icon={URGENCY_ICONS[band]}
                        data-urgency={band}
                      >
                        {`${URGENCY_LABELS[band]} · ${report.score}`}
                      </Badge>
                    </Tooltip>
                  </span>
                  <Text
                    size={200}
                    className={mergeClasses(styles.ellipsis, styles.secondary)}
                    title={subject}
                  >
                    {subject}
                  </Text>
                  <span className={styles.meta}>
                    {report.technique && (
                      <Badge appearance="tint" color="brand" className={styles.technique}>
                        {TECHNIQUE_LABELS[report.technique]}
                      </Badge>
                    )}
                  </span>
                  {/* The whole width: at 350 px a long technique badge beside it cut off "2 attempts". */}
                  <Text
                    size={200}
                    className={mergeClasses(styles.ellipsis, styles.secondary, styles.wide)}
                    data-testid="row-facts"
                  >
                    {rowFacts(report, props.where)}
                  </Text>
                  {/* What the badges say by colour and position, in words for screen readers. */}
                  <span className={styles.hidden}>{rowStatus(report)}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

/**
 * A row's facts: "12 days silent · 3 attempts", then why a non-stale row is where it is. No attempts part when
 * none went unanswered (they answered my last message: a "no", a "later").
 */
export function rowFacts(report: ConversationReport, where: PaneWhere): string {
  const silent = `${counted(report.darkDays, "day")} silent`;
  const attempts = report.attempts > 0 ? ` · ${counted(report.attempts, "attempt")}` : "";
  return `${silent}${attempts}${stateNote(report, where)}`;
}

/** Why a non-stale row is where it is: " · snoozed until 3 March 2026", " · follow up in 2 days". */
function stateNote(report: ConversationReport, where: PaneWhere): string {
  if (report.state === "stale") return "";
  if (report.state === "snoozed" && report.snoozedUntil !== null)
    return ` · snoozed until ${formatPaneDate(report.snoozedUntil, where)}`;
  return ` · ${singleLine(report.reason)}`;
}

function rowId(report: ConversationReport): string {
  return `conversation-${report.conversationId.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0)}`)}`;
}
