-- The default topics (DESIGN.md: newsletter, marketing, updates; nl and en).
-- Product updates are opt-out: customers of the service get them unless they say no
-- (soft opt-in for existing customers, Telecommunicatiewet art. 11.7 lid 3).
INSERT INTO `topics` (`id`, `name_nl`, `name_en`, `description_nl`, `description_en`, `default_status`, `double_opt_in`, `position`, `created_at`) VALUES
  ('newsletter', 'Nieuwsbrief', 'Newsletter', 'Onze periodieke nieuwsbrief met nieuws en tips.', 'Our periodic newsletter with news and tips.', 'opt-in', 0, 1, 0),
  ('marketing', 'Aanbiedingen', 'Offers', 'Acties, aanbiedingen en uitnodigingen voor events.', 'Promotions, offers and event invitations.', 'opt-in', 0, 2, 0),
  ('updates', 'Productupdates', 'Product updates', 'Nieuwe functies en belangrijke wijzigingen in de dienst.', 'New features and important changes to the service.', 'opt-out', 0, 3, 0);
--> statement-breakpoint
-- The consent ledger is append-only: the database itself refuses edits and deletions, and the
-- hash chain makes any edit made around these guards detectable.
CREATE TRIGGER `consent_events_no_update` BEFORE UPDATE ON `consent_events`
BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `consent_events_no_delete` BEFORE DELETE ON `consent_events`
BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
