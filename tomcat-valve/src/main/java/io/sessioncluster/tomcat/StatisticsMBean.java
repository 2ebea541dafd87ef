package io.sessioncluster.tomcat;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;
import java.util.function.Supplier;

/**
 * A manager's statistics as a read-only MBean, with the operations on a user's sessions
 * ({@link UserSessionsOperations}). Dynamic rather than standard: its 135 attributes come from one table
 * ({@link StatisticsAttributes}) instead of as many getters, and a client that reads several at once
 * ({@link #getAttributes}, as the Prometheus exporter and jconsole do) gets them from one snapshot.
 */
final class StatisticsMBean implements DynamicMBean {

    private final Supplier<ManagerStatistics> statistics;
    private final UserSessionsOperations operations;
    private final MBeanInfo info;

    StatisticsMBean(Supplier<ManagerStatistics> statistics, String contextName, UserSessionsOperations operations) {
        this.statistics = statistics;
        this.operations = operations;
        MBeanAttributeInfo[] attributes = StatisticsAttributes.all().values().stream()
                .map(a -> new MBeanAttributeInfo(a.name(), a.type(), a.description(), true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        this.info = new MBeanInfo(ClusteredSessionManager.class.getName(),
                "Session clustering of context [" + contextName + "]: the store's calls, failures, latencies and state",
                attributes, null, operations.info(), null);
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        return find(name).value().apply(statistics.get());
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        ManagerStatistics snapshot = statistics.get();
        AttributeList list = new AttributeList();
        for (String name : names) {
            StatisticsAttributes.Attribute attribute = StatisticsAttributes.all().get(name);
            if (attribute != null) {
                list.add(new Attribute(name, attribute.value().apply(snapshot)));
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(find(attribute.getName()).name() + " is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList(); // none is writable
    }

    @Override
    public Object invoke(String action, Object[] params, String[] signature) throws ReflectionException {
        return operations.invoke(action, params);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }

    private static StatisticsAttributes.Attribute find(String name) throws AttributeNotFoundException {
        StatisticsAttributes.Attribute attribute = name == null ? null : StatisticsAttributes.all().get(name);
        if (attribute == null) {
            throw new AttributeNotFoundException("no attribute " + name);
        }
        return attribute;
    }
}
