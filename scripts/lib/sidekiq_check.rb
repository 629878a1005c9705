# Sidekiq against a server on 127.0.0.1:PORT, as scripts/sidekiq-check.sh runs it. Loaded twice: by the sidekiq
# process (`sidekiq -r`, which only needs the worker class and the connection) and as the client that pushes the
# jobs and checks what the worker did (SIDEKIQ_CHECK_CLIENT=1). Exits non-zero with the checks that failed.
require 'sidekiq'
require 'sidekiq/api'

port = ENV.fetch('SIDEKIQ_CHECK_PORT')
Sidekiq.configure_client { |config| config.redis = { url: "redis://127.0.0.1:#{port}/0" } }
Sidekiq.configure_server do |config|
  config.redis = { url: "redis://127.0.0.1:#{port}/0" }
  # The scheduled-set poller's first look otherwise waits 10 s or more.
  config.options[:poll_interval_average] = 1
end

class CheckWorker
  include Sidekiq::Worker
  sidekiq_options retry: 3

  def perform(n)
    raise 'this job fails on purpose' if n.negative?
    Sidekiq.redis { |r| r.sadd('sidekiq-check:done', n.to_s) }
  end
end

if ENV['SIDEKIQ_CHECK_CLIENT'] == '1'
  jobs = Integer(ENV.fetch('SIDEKIQ_CHECK_JOBS', '100'))
  case ARGV[0]
  when 'push'
    Sidekiq.redis(&:flushdb)
    jobs.times { |i| CheckWorker.perform_async(i) }
    5.times { |i| CheckWorker.perform_in(2, jobs + i) } # through the scheduled set
    CheckWorker.perform_async(-1)                        # fails, so it goes to the retry set
    puts "pushed #{jobs} jobs, 5 scheduled, 1 failing"
  when 'wait'
    deadline = Time.now + 60
    done = 0
    while Time.now < deadline
      done = Sidekiq.redis { |r| r.scard('sidekiq-check:done') }
      break if done == jobs + 5 && Sidekiq::RetrySet.new.size == 1
      sleep 0.5
    end
    checks = {
      'every job ran once' => done == jobs + 5,
      'the scheduled set is empty' => Sidekiq::ScheduledSet.new.size.zero?,
      'the failing job waits in the retry set' => Sidekiq::RetrySet.new.size == 1,
      'the queue is empty' => Sidekiq::Queue.new('default').size.zero?,
    }
    checks.each { |name, ok| puts "#{ok ? 'ok' : 'FAILED'}: #{name}" }
    puts "#{done} of #{jobs + 5} jobs done"
    exit(checks.values.all? ? 0 : 1)
  end
end
