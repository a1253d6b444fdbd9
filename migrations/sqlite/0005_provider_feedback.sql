CREATE TABLE `provider_events` (
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `provider_events_received` ON `provider_events` (`received_at`);--> statement-breakpoint
CREATE TABLE `readiness_probe` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `soft_bounces` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`address_key` blob NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `soft_bounces_key` ON `soft_bounces` (`address_key`,`at`);--> statement-breakpoint
CREATE INDEX `soft_bounces_at` ON `soft_bounces` (`at`);