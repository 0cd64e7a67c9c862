// The stale conversations: filters, sort and search above a virtualized listbox, so thousands of rows stay smooth
// with only the visible ones in the DOM. Mail text is rendered as React text only.
import {
  Badge,
  Field,
  Input,
  Select,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type KeyboardEvent } from "react";
import type { ConversationReport } from "../../core/awaitingReply";
import { formatDate } from "../../core/draft";
import { TECHNIQUES, TECHNIQUE_LABELS, isTechnique } from "../../core/technique";
import {
  SORT_LABELS,
  STATE_FILTERS,
  STATE_LABELS,
  type ConversationQuery,
  type SortKey,
  type StateFilter,
} from "../state/conversationQuery";

const ROW_HEIGHT = 64;

const useStyles = makeStyles({
  controls: {
    display: "grid",
    gridTemplateColumns: "repeat(3, minmax(0, 1fr))",
    gap: tokens.spacingHorizontalS,
    paddingBottom: tokens.spacingVerticalS,
  },
  search: { gridColumn: "1 / -1" },
  // Long option labels must not widen a column in a narrow pane.
  control: { minWidth: 0, maxWidth: "100%" },
  scroller: {
    height: "38vh",
    minHeight: "200px",
    overflowY: "auto",
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    outlineOffset: "-2px",
    ":focus-visible": { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  row: {
    position: "absolute",
    left: 0,
    right: 0,
    boxSizing: "border-box",
    height: `${ROW_HEIGHT}px`,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    cursor: "pointer",
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) auto",
    columnGap: tokens.spacingHorizontalS,
    ":hover": { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    boxShadow: `inset 3px 0 0 ${tokens.colorBrandStroke1}`,
  },
  ellipsis: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
  meta: {
    display: "flex",
    gap: tokens.spacingHorizontalXS,
    alignItems: "center",
    justifyContent: "flex-end",
  },
  secondary: { color: tokens.colorNeutralForeground2 },
  empty: { padding: tokens.spacingVerticalM },
});

export interface ConversationListProps {
  readonly reports: readonly ConversationReport[];
  readonly counts: Readonly<Record<StateFilter, number>>;
  readonly query: ConversationQuery;
  readonly onQueryChange: (query: ConversationQuery) => void;
  readonly selectedId: string | null;
  readonly onSelect: (conversationId: string) => void;
}

/** The prospect line of a row: "Name (Company)", names as text. */
export function prospectLabel(report: ConversationReport): string {
  const p = report.prospects[0];
  if (!p) return "(no prospect)";
  const more = report.prospects.length > 1 ? ` +${report.prospects.length - 1}` : "";
  return `${p.name || p.address}${p.company ? ` · ${p.company}` : ""}${more}`;
}

export function ConversationList(props: ConversationListProps) {
  const { reports, counts, query, onQueryChange, selectedId, onSelect } = props;
  const styles = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
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
  }, [selectedIndex]);

  const move = (to: number) => {
    const target = reports[Math.max(0, Math.min(reports.length - 1, to))];
    if (target) onSelect(target.conversationId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 5) / ROW_HEIGHT) - 1,
    );
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selectedIndex + 1),
      ArrowUp: () => move(selectedIndex < 0 ? 0 : selectedIndex - 1),
      Home: () => move(0),
      End: () => move(reports.length - 1),
      PageDown: () => move(selectedIndex + page),
      PageUp: () => move(selectedIndex - page),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  return (
    <section aria-label="Stale conversations">
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
        <Field label="Sort by" className={styles.control}>
          <Select
            className={styles.control}
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
      <Text size={200} className={styles.secondary} aria-live="polite" role="status">
        {`${reports.length} ${reports.length === 1 ? "conversation" : "conversations"}`}
      </Text>
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
        {reports.length === 0 ? (
          <div className={styles.empty} role="presentation">
            <Text>Nothing here. Conversations show up once you have written and they have gone quiet.</Text>
          </div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }} role="presentation">
            {virtualizer.getVirtualItems().map((item) => {
              const report = reports[item.index]!;
              const selected = report.conversationId === selectedId;
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
                  onClick={() => onSelect(report.conversationId)}
                  data-conversation-id={report.conversationId}
                >
                  <Text weight="semibold" className={styles.ellipsis}>
                    {prospectLabel(report)}
                  </Text>
                  <span className={styles.meta}>
                    <Tooltip content={report.why} relationship="description" withArrow>
                      <Badge appearance="filled" color={report.score >= 70 ? "danger" : "brand"}>
                        {`Score ${report.score}`}
                      </Badge>
                    </Tooltip>
                  </span>
                  <Text size={200} className={mergeClasses(styles.ellipsis, styles.secondary)}>
                    {report.subject || "(no subject)"}
                  </Text>
                  <span className={styles.meta}>
                    {report.technique && (
                      <Badge appearance="tint" color="informative" size="small">
                        {TECHNIQUE_LABELS[report.technique]}
                      </Badge>
                    )}
                  </span>
                  <Text size={200} className={mergeClasses(styles.ellipsis, styles.secondary)}>
                    {`${report.darkDays} days silent · ${report.attempts} ${
                      report.attempts === 1 ? "attempt" : "attempts"
                    }${stateNote(report)}`}
                  </Text>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

/** Why a non-stale row is where it is: " · snoozed until 3 March 2026", " · follow up in 2 days". */
function stateNote(report: ConversationReport): string {
  if (report.state === "stale") return "";
  if (report.state === "snoozed" && report.snoozedUntil !== null)
    return ` · snoozed until ${formatDate(report.snoozedUntil)}`;
  return ` · ${report.reason}`;
}

function rowId(report: ConversationReport): string {
  return `conversation-${report.conversationId.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0)}`)}`;
}
