// The slice of Office.js that Rekindle uses, as a structural type: the real `Office` global satisfies it, and the
// tests (and the e2e fake host) implement it by hand. Enum values are the strings Office.js uses at run time.

export interface AsyncResultLike<T> {
  readonly status: "succeeded" | "failed" | string;
  readonly value: T;
  readonly error?: { readonly name?: string; readonly message: string; readonly code?: number } | null;
}
export type AsyncCallback<T> = (result: AsyncResultLike<T>) => void;

export interface OfficeThemeLike {
  readonly bodyBackgroundColor?: string;
  readonly bodyForegroundColor?: string;
  readonly controlBackgroundColor?: string;
  readonly controlForegroundColor?: string;
}

export interface BodyLike {
  getTypeAsync?(callback: AsyncCallback<string>): void;
  setSelectedDataAsync(data: string, options: { coercionType: string }, callback: AsyncCallback<void>): void;
}

/**
 * Office.InternetHeaders (Mailbox 1.8, compose mode): custom headers kept on the message after it leaves Exchange.
 * https://learn.microsoft.com/javascript/api/outlook/office.internetheaders
 */
export interface InternetHeadersLike {
  setAsync(headers: Record<string, string>, callback?: AsyncCallback<void>): void;
}

/**
 * Office.Subject (Mailbox 1.1, compose mode): setAsync overwrites the subject but keeps a prefix such as "Re:".
 * https://learn.microsoft.com/javascript/api/outlook/office.subject
 */
export interface SubjectLike {
  getAsync?(callback: AsyncCallback<string>): void;
  setAsync(subject: string, callback?: AsyncCallback<void>): void;
}

/** Office.context.mailbox.item in read or compose mode (read mode has itemId; compose mode has a body to edit). */
export interface MailItemLike {
  readonly itemType?: string;
  readonly itemId?: string;
  readonly conversationId?: string | null;
  readonly body?: BodyLike;
  /** A string in read mode; an object with getAsync/setAsync in compose mode. */
  readonly subject?: string | SubjectLike;
  /** Compose mode only (Mailbox 1.8). */
  readonly internetHeaders?: InternetHeadersLike;
  displayReplyAllFormAsync?(formData: { htmlBody: string }, callback?: AsyncCallback<void>): void;
  displayReplyAllForm?(formData: { htmlBody: string }): void;
}

/** Recipients for displayNewMessageForm. */
export interface NewMessageRecipientLike {
  readonly emailAddress: string;
  readonly displayName?: string;
}

export interface MailboxLike {
  readonly item?: MailItemLike | null;
  /**
   * userProfile.timeZone is a Windows zone name ("W. Europe Standard Time"); emailAddress is the mailbox the pane is
   * open on (its cache and its sign-in follow it).
   */
  readonly userProfile?: { readonly timeZone?: string; readonly emailAddress?: string };
  displayNewMessageForm?(parameters: {
    toRecipients?: readonly NewMessageRecipientLike[];
    subject?: string;
    htmlBody?: string;
  }): void;
  convertToEwsId?(itemId: string, restVersion: string): string;
  convertToRestId?(itemId: string, restVersion: string): string;
  displayMessageForm?(itemId: string): void;
  addHandlerAsync?(
    eventType: string,
    handler: (args: { officeTheme?: OfficeThemeLike }) => void,
    callback?: AsyncCallback<void>,
  ): void;
  removeHandlerAsync?(eventType: string, callback?: AsyncCallback<void>): void;
}

export interface RoamingSettingsLike {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  saveAsync(callback?: AsyncCallback<void>): void;
}

export interface DialogLike {
  addEventHandler(eventType: string, handler: (args: { message?: string; error?: number }) => void): void;
  close(): void;
}

export interface OfficeContextLike {
  readonly mailbox?: MailboxLike;
  readonly roamingSettings?: RoamingSettingsLike;
  readonly officeTheme?: OfficeThemeLike;
  /** The Office UI language, e.g. "de-DE". */
  readonly displayLanguage?: string;
  readonly partitionKey?: string | null;
  readonly requirements?: { isSetSupported(name: string, minVersion?: string): boolean };
  readonly ui?: {
    displayDialogAsync(
      url: string,
      options: { height?: number; width?: number; promptBeforeOpen?: boolean },
      callback: AsyncCallback<DialogLike>,
    ): void;
  };
}

export interface OfficeLike {
  readonly context: OfficeContextLike;
  onReady(): Promise<{ host: string | null; platform: string | null }>;
}

/** Promisifies an Office async call; a failed result rejects with Office's message. */
export function officeAsync<T>(call: (callback: AsyncCallback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    call((result) => {
      if (result.status === "succeeded") resolve(result.value);
      else reject(new Error(result.error?.message ?? "Outlook reported an error"));
    });
  });
}

/** Office.context.requirements.isSetSupported, false when the host cannot say. */
export function isSetSupported(office: OfficeLike, name: string, version: string): boolean {
  try {
    return office.context.requirements?.isSetSupported(name, version) === true;
  } catch {
    return false;
  }
}
