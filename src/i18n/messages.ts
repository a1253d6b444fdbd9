/**
 * Every word a public page says, in Dutch and English. One dictionary per locale with the same
 * keys (the type checker enforces it), placeholders as {name}, filled by `translate`.
 */
const en = {
  'page.title.suffix': 'email preferences',
  'confirm.title': 'Unsubscribe from {topic}?',
  'confirm.lead': 'You receive {topic} at {email}. Unsubscribe and we stop sending it at once.',
  'confirm.already': 'You are already unsubscribed from {topic}. You will not receive it at {email}.',
  'confirm.button.topic': 'Unsubscribe from {topic}',
  'confirm.button.all': 'Unsubscribe from all emails',
  'confirm.all.title': 'Unsubscribe from all emails?',
  'confirm.all.lead': 'We will stop sending any newsletters, offers or updates to {email} at once.',
  'confirm.all.already': 'You are unsubscribed from all emails at {email}.',
  'confirm.preferences': 'Choose what you receive instead',
  'confirm.transactional': 'Service messages you need, such as invoices and password resets, still reach you.',
  'done.title': 'You are unsubscribed',
  'done.topic': 'You will no longer receive {topic} at {email}.',
  'done.all': 'You will no longer receive any newsletters, offers or updates at {email}.',
  'done.erased': 'Your data was erased at your request. We no longer send you any email.',
  'done.undo': 'Undo: subscribe me again',
  'done.mistake': 'Unsubscribed by mistake?',
  'resubscribed.title': 'Welcome back',
  'resubscribed.topic': 'You are subscribed to {topic} again.',
  'resubscribed.all': 'You receive our emails again, as before you unsubscribed.',
  'resubscribed.blocked': 'Your address is still blocked for another reason (for example a bounce). Contact us if you want to receive email again.',
  'preferences.title': 'Your email preferences',
  'preferences.lead': 'What you receive at {email}:',
  'preferences.subscribed': 'Subscribed',
  'preferences.unsubscribed': 'Not subscribed',
  'preferences.unsubscribe': 'Unsubscribe',
  'preferences.subscribe': 'Subscribe',
  'error.invalid_link.title': 'This link does not work',
  'error.invalid_link.body': 'The link is incomplete, has expired or was changed. Use the link in your most recent email, or copy the whole link into your browser.',
  'error.not_found.title': 'We could not find that',
  'error.not_found.body': 'The page or the person this link was for no longer exists. If your data was erased, we no longer send you email.',
  'error.bad_request.title': 'Something in this request was not right',
  'error.bad_request.body': 'Please go back and try again. {detail}',
  'error.server.title': 'Something went wrong on our side',
  'error.server.body': 'Nothing was changed. Please try again in a moment.',
  'error.back': 'Go to the start page',
  'footer.privacy': 'We keep a record of changes to your preferences as required by the GDPR.',
} as const;

export type MessageKey = keyof typeof en;

const nl: Record<MessageKey, string> = {
  'page.title.suffix': 'e-mailvoorkeuren',
  'confirm.title': 'Uitschrijven voor {topic}?',
  'confirm.lead': 'Je ontvangt {topic} op {email}. Schrijf je uit en we stoppen er direct mee.',
  'confirm.already': 'Je bent al uitgeschreven voor {topic}. Je ontvangt het niet meer op {email}.',
  'confirm.button.topic': 'Uitschrijven voor {topic}',
  'confirm.button.all': 'Uitschrijven voor alle e-mails',
  'confirm.all.title': 'Uitschrijven voor alle e-mails?',
  'confirm.all.lead': 'We sturen direct geen nieuwsbrieven, aanbiedingen of updates meer naar {email}.',
  'confirm.all.already': 'Je bent uitgeschreven voor alle e-mails op {email}.',
  'confirm.preferences': 'Kies liever zelf wat je ontvangt',
  'confirm.transactional': 'Berichten die je nodig hebt, zoals facturen en wachtwoordherstel, blijven je bereiken.',
  'done.title': 'Je bent uitgeschreven',
  'done.topic': 'Je ontvangt {topic} niet meer op {email}.',
  'done.all': 'Je ontvangt geen nieuwsbrieven, aanbiedingen of updates meer op {email}.',
  'done.erased': 'Je gegevens zijn op je verzoek gewist. We sturen je geen e-mail meer.',
  'done.undo': 'Ongedaan maken: schrijf me weer in',
  'done.mistake': 'Per ongeluk uitgeschreven?',
  'resubscribed.title': 'Welkom terug',
  'resubscribed.topic': 'Je bent weer ingeschreven voor {topic}.',
  'resubscribed.all': 'Je ontvangt onze e-mails weer, zoals voordat je je uitschreef.',
  'resubscribed.blocked': 'Je adres is nog om een andere reden geblokkeerd (bijvoorbeeld omdat mail niet aankwam). Neem contact met ons op als je weer e-mail wilt ontvangen.',
  'preferences.title': 'Je e-mailvoorkeuren',
  'preferences.lead': 'Wat je ontvangt op {email}:',
  'preferences.subscribed': 'Ingeschreven',
  'preferences.unsubscribed': 'Niet ingeschreven',
  'preferences.unsubscribe': 'Uitschrijven',
  'preferences.subscribe': 'Inschrijven',
  'error.invalid_link.title': 'Deze link werkt niet',
  'error.invalid_link.body': 'De link is onvolledig, verlopen of aangepast. Gebruik de link in je meest recente e-mail, of kopieer de hele link naar je browser.',
  'error.not_found.title': 'We konden dit niet vinden',
  'error.not_found.body': 'De pagina of de persoon voor wie deze link was bestaat niet meer. Als je gegevens zijn gewist, sturen we je geen e-mail meer.',
  'error.bad_request.title': 'Er klopte iets niet aan dit verzoek',
  'error.bad_request.body': 'Ga terug en probeer het opnieuw. {detail}',
  'error.server.title': 'Er ging bij ons iets mis',
  'error.server.body': 'Er is niets gewijzigd. Probeer het zo nog eens.',
  'error.back': 'Naar de startpagina',
  'footer.privacy': 'We houden wijzigingen in je voorkeuren bij, zoals de AVG vraagt.',
};

export type Locale = 'nl' | 'en';
export const LOCALES: readonly Locale[] = ['nl', 'en'];
const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, nl };

export type Translate = (key: MessageKey, params?: Record<string, string>) => string;

export function translator(locale: Locale): Translate {
  const dict = dictionaries[locale];
  return (key, params) => dict[key].replace(/\{(\w+)\}/g, (m, name: string) => params?.[name] ?? m);
}
