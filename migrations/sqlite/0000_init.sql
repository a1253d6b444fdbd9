CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text,
	`locale` text NOT NULL,
	`external_id` text,
	`status` text DEFAULT 'active' NOT NULL,
	`paused_until` integer,
	`no_profiling` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_email_unique` ON `contacts` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_external_id_unique` ON `contacts` (`external_id`);--> statement-breakpoint
CREATE TABLE `topics` (
	`id` text PRIMARY KEY NOT NULL,
	`name_nl` text NOT NULL,
	`name_en` text NOT NULL,
	`description_nl` text DEFAULT '' NOT NULL,
	`description_en` text DEFAULT '' NOT NULL,
	`default_status` text DEFAULT 'opt-in' NOT NULL,
	`double_opt_in` integer DEFAULT false NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`contact_id` text NOT NULL,
	`topic_id` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`contact_id`, `topic_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`topic_id`) REFERENCES `topics`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`address_key` blob NOT NULL,
	`scope` text NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`email` text,
	`created_at` integer NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_key_scope` ON `suppressions` (`address_key`,`scope`);--> statement-breakpoint
CREATE INDEX `suppressions_email` ON `suppressions` (`email`);--> statement-breakpoint
CREATE TABLE `consent_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`contact_id` text,
	`address_key` blob,
	`action` text NOT NULL,
	`topic` text,
	`source` text NOT NULL,
	`actor` text,
	`policy_version` text NOT NULL,
	`consent_text_id` text,
	`campaign` text,
	`ip_hash` text,
	`user_agent_hash` text,
	`detail` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consent_events_contact` ON `consent_events` (`contact_id`,`id`);--> statement-breakpoint
CREATE TABLE `consent_texts` (
	`id` text PRIMARY KEY NOT NULL,
	`locale` text NOT NULL,
	`policy_version` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`secret` blob NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` blob NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);