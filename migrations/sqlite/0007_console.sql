CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`operator_id` text,
	`action` text NOT NULL,
	`target` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_at` ON `audit_events` (`at`);--> statement-breakpoint
CREATE TABLE `operator_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`ip_hash` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `operator_sessions_user` ON `operator_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `operator_setup_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`operator_id` text,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`created_at` integer NOT NULL,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operators_email_unique` ON `operators` (`email`);--> statement-breakpoint
CREATE TABLE `stat_campaign_unsubscribe` (
	`campaign` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`last_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stat_suppression_daily` (
	`day` integer NOT NULL,
	`reason` text NOT NULL,
	`added` integer NOT NULL,
	`removed` integer NOT NULL,
	PRIMARY KEY(`day`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `stat_suppression_reason` (
	`reason` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stat_topic_status` (
	`topic_id` text NOT NULL,
	`status` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`topic_id`, `status`)
);
--> statement-breakpoint
CREATE TABLE `stat_unsubscribe_daily` (
	`day` integer NOT NULL,
	`topic` text NOT NULL,
	`source` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `topic`, `source`)
);
--> statement-breakpoint
CREATE TABLE `suppression_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`operator_id` text,
	`file_name` text NOT NULL,
	`status` text NOT NULL,
	`bytes_total` integer NOT NULL,
	`bytes_read` integer DEFAULT 0 NOT NULL,
	`rows` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`existing` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`errors` text DEFAULT '[]' NOT NULL,
	`message` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);--> statement-breakpoint
-- Dashboard counters (src/db/schema/console-stats.ts). The suppression and ledger counters are
-- kept by the stores' write functions in the same unit of work (src/db/stores/console-stats.ts
-- says why not by triggers: a trigger on those big tables made bulk adds slower as they grew).
-- Subscription counts are kept by the triggers below (one row per contact and topic, written a
-- row at a time), with insert-if-missing then UPDATE and no conflict clause (a trigger's
-- OR IGNORE would be overridden by the policy of the statement that fired it).
CREATE TRIGGER `stat_subscriptions_insert` AFTER INSERT ON `subscriptions`
BEGIN
  INSERT INTO `stat_topic_status` (`topic_id`, `status`, `count`) SELECT new.`topic_id`, new.`status`, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_topic_status` WHERE `topic_id` = new.`topic_id` AND `status` = new.`status`);
  UPDATE `stat_topic_status` SET `count` = `count` + 1 WHERE `topic_id` = new.`topic_id` AND `status` = new.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `stat_subscriptions_update` AFTER UPDATE OF `status`, `topic_id` ON `subscriptions`
WHEN old.`status` IS NOT new.`status` OR old.`topic_id` IS NOT new.`topic_id`
BEGIN
  UPDATE `stat_topic_status` SET `count` = `count` - 1 WHERE `topic_id` = old.`topic_id` AND `status` = old.`status`;
  INSERT INTO `stat_topic_status` (`topic_id`, `status`, `count`) SELECT new.`topic_id`, new.`status`, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_topic_status` WHERE `topic_id` = new.`topic_id` AND `status` = new.`status`);
  UPDATE `stat_topic_status` SET `count` = `count` + 1 WHERE `topic_id` = new.`topic_id` AND `status` = new.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `stat_subscriptions_delete` AFTER DELETE ON `subscriptions`
BEGIN
  UPDATE `stat_topic_status` SET `count` = `count` - 1 WHERE `topic_id` = old.`topic_id` AND `status` = old.`status`;
END;
--> statement-breakpoint
-- Back-fill the counters from the rows already there (one scan, at migration time only).
INSERT INTO `stat_topic_status` (`topic_id`, `status`, `count`) SELECT `topic_id`, `status`, count(*) FROM `subscriptions` GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `stat_suppression_reason` (`reason`, `count`) SELECT `reason`, count(*) FROM `suppressions` GROUP BY 1;
--> statement-breakpoint
INSERT INTO `stat_suppression_daily` (`day`, `reason`, `added`, `removed`)
  SELECT `day`, `reason`, sum(`added`), sum(`removed`) FROM (
    SELECT `created_at` / 86400000 AS `day`, `reason`, 1 AS `added`, 0 AS `removed` FROM `suppressions`
    UNION ALL
    SELECT `changed_at` / 86400000, `reason`, 0, 1 FROM `suppression_changes` WHERE `deleted` = 1
  ) WHERE true GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `stat_unsubscribe_daily` (`day`, `topic`, `source`, `count`)
  SELECT `at` / 86400000, coalesce(`topic`, '*'), `source`, count(*) FROM `consent_events` WHERE `action` = 'unsubscribe' GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `stat_campaign_unsubscribe` (`campaign`, `count`, `last_at`)
  SELECT `campaign`, count(*), max(`at`) FROM `consent_events` WHERE `action` = 'unsubscribe' AND `campaign` IS NOT NULL GROUP BY 1;
