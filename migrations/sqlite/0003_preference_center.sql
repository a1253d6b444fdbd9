CREATE TABLE `subscriber_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`verified_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriber_sessions_user` ON `subscriber_sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `subscriber_sessions_expiry` ON `subscriber_sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `pending_email_changes` (
	`jti` text PRIMARY KEY NOT NULL,
	`contact_id` text NOT NULL,
	`email` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `used_link_tokens` (
	`jti` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_link_tokens_expiry` ON `used_link_tokens` (`expires_at`);