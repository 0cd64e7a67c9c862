// The "Also look in these folders" setting: a checkbox per mail folder of the user's (from Graph, with child
// folders by path; Deleted Items is never offered), for answers an Inbox rule files elsewhere. A picked folder the
// list no longer has stays picked and says so, so a failed or partial list never drops the user's choice.
import { Checkbox, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { KeyedSettingField } from "../../core/settingsSchema";
import type { MailFolderChoice } from "../services";
import { ChoiceGroup } from "./ChoiceGroup";

const useStyles = makeStyles({
  list: { display: "grid", minWidth: 0 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export interface FolderPickerProps {
  readonly field: KeyedSettingField;
  readonly picked: readonly string[];
  readonly onChange: (picked: readonly string[]) => void;
  readonly listFolders?: () => Promise<readonly MailFolderChoice[]>;
  readonly problem?: string | undefined;
}

type Listing =
  | { readonly kind: "loading" }
  | { readonly kind: "listed"; readonly folders: readonly MailFolderChoice[] }
  | { readonly kind: "failed"; readonly why: string }
  | { readonly kind: "unavailable" };

export function FolderPicker({ field, picked, onChange, listFolders, problem }: FolderPickerProps) {
  const styles = useStyles();
  const [listing, setListing] = useState<Listing>(
    listFolders ? { kind: "loading" } : { kind: "unavailable" },
  );

  useEffect(() => {
    if (!listFolders) return;
    let live = true;
    listFolders().then(
      (folders) => {
        if (live) setListing({ kind: "listed", folders });
      },
      (error: unknown) => {
        if (live) setListing({ kind: "failed", why: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [listFolders]);

  const folders = listing.kind === "listed" ? listing.folders : [];
  const known = new Set(folders.map((f) => f.id));
  const missing = picked.filter((id) => !known.has(id));
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...picked.filter((p) => p !== id), id] : picked.filter((p) => p !== id));

  return (
    <ChoiceGroup label={field.label} help={field.help} problem={problem}>
      <div className={styles.list} aria-busy={listing.kind === "loading"}>
        {listing.kind === "loading" && (
          <Spinner size="tiny" label="Listing your folders…" labelPosition="after" />
        )}
        {folders.map((folder) => (
          <Checkbox
            key={folder.id}
            label={folder.path}
            checked={picked.includes(folder.id)}
            onChange={(_, d) => toggle(folder.id, d.checked === true)}
          />
        ))}
        {missing.map((id) => (
          <Checkbox
            key={id}
            label={
              listing.kind === "listed" ? "A folder no longer in your mailbox" : "A folder you picked before"
            }
            checked
            onChange={(_, d) => toggle(id, d.checked === true)}
          />
        ))}
      </div>
      {listing.kind === "listed" && folders.length === 0 && (
        <Text size={200}>You have no other folders: Inbox, Sent Items and Archive are read already.</Text>
      )}
      {listing.kind === "failed" && (
        <Text size={200} className={styles.error}>
          Could not list your folders ({listing.why}). What you picked before is kept.
        </Text>
      )}
      {listing.kind === "unavailable" && (
        <Text size={200}>
          Your folders are listed when Rekindle reads your mailbox through Microsoft Graph.
        </Text>
      )}
    </ChoiceGroup>
  );
}
